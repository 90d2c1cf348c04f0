"""While Redis is down, people can still sign in and act; nothing they did is lost.

The penetration test stopped Redis: sign-in answered 500 for everyone (the throttle needs the
cache); hide and escalate committed, then answered 500 (the job could not be enqueued after the
commit); and the escalation email job was lost, so the FOI team was never told. Redis is "down"
here by pointing the cache and the queues at a closed port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.jobs import dispatch_due_work
from moderation.models import Comment, EscalationRoute, ModerationAction, Notification
from smpolicy.queue import _cached_queue
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

CLOSED = "redis://127.0.0.1:1"


@pytest.fixture
def redis_down(settings) -> Iterator[None]:
    if not settings.REDIS_URL:
        pytest.skip("needs the Redis-backed queues (runs in CI)")
    working = (settings.CACHES, settings.RQ_QUEUES)
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"{CLOSED}/1"}}
    settings.RQ_QUEUES = {
        name: {**config, "URL": f"{CLOSED}/0"} for name, config in settings.RQ_QUEUES.items()
    }
    _cached_queue.cache_clear()
    yield
    settings.CACHES, settings.RQ_QUEUES = working
    _cached_queue.cache_clear()


def _redis_back(settings, working_queues) -> None:
    settings.RQ_QUEUES = working_queues
    _cached_queue.cache_clear()


@pytest.mark.django_db
def test_officers_and_managers_sign_in(redis_down: None, olivia, maya) -> None:
    for person in (olivia, maya):  # maya also passes the second factor
        client = signed_in(Client(), person)
        assert client.get("/queue/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hide_answers_success_and_is_sent_by_the_scheduler_once_redis_is_back(
    settings, olivia, monkeypatch: pytest.MonkeyPatch
) -> None:
    working_queues = settings.RQ_QUEUES
    channel = ChannelFactory(last_polled_at=timezone.now(), poll_interval_seconds=3600)
    comment = CommentFactory(channel=channel, status=Comment.Status.REVIEW)
    client = signed_in(Client(), olivia)
    settings.RQ_QUEUES = {n: {**c, "URL": f"{CLOSED}/0"} for n, c in working_queues.items()}
    _cached_queue.cache_clear()

    response = client.post(f"/queue/{comment.pk}/hide/", follow=True)

    assert response.status_code == 200
    assert "Hidden" in response.content.decode() or "hid" in response.content.decode().lower()
    action = ModerationAction.objects.get(comment=comment, kind="hide")
    assert action.state == ModerationAction.State.PENDING
    assert AuditEvent.objects.filter(event_type="moderation.comment.hidden").exists()
    _redis_back(settings, working_queues)
    enqueued: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, calls: enqueued.extend((queue, tuple(args)) for args in calls),
    )

    dispatch_due_work()

    assert ("actions", (action.pk,)) in enqueued


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_escalation_answers_success_and_its_email_goes_once_redis_is_back(
    settings, olivia
) -> None:
    working_queues = settings.RQ_QUEUES
    route = EscalationRoute.objects.get(key="foi")
    EscalationRoute.objects.filter(pk=route.pk).update(email="foi@example.gov.uk")
    channel = ChannelFactory(last_polled_at=timezone.now(), poll_interval_seconds=3600)
    comment = CommentFactory(channel=channel, status=Comment.Status.REVIEW)
    client = signed_in(Client(), olivia)
    settings.RQ_QUEUES = {n: {**c, "URL": f"{CLOSED}/0"} for n, c in working_queues.items()}
    _cached_queue.cache_clear()

    response = client.post(
        f"/queue/{comment.pk}/escalate/", {"route": route.pk, "note": "FOI"}, follow=True
    )

    assert response.status_code == 200
    assert "Escalated to" in response.content.decode()
    assert mail.outbox == []
    [waiting] = Notification.objects.all()
    assert waiting.state == Notification.State.PENDING
    _redis_back(settings, working_queues)

    dispatch_due_work()
    dispatch_due_work()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["foi@example.gov.uk"]
    waiting.refresh_from_db()
    assert waiting.state == Notification.State.SENT
