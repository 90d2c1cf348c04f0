"""A comment already checked or acted on whose stored time is impossible (year 1, stored before
times were validated) can be escalated, and the daily housekeeping replaces its time, on the
record, so that its page and its author's subject page render.

Evaluation corrects such a time only while a comment is new. The penetration test's case: such a
comment, handled while new (a bulk action), answered 500 on its page (the escalation deadlines
offered there counted back from year 1, and year 1 cannot be shown in UK time), as did the
subject-access page of its author.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.alerts import apply_retention_job
from moderation.models import Comment, Escalation, EscalationRoute
from tests.factories import CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
YEAR_ONE = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def comment() -> Comment:
    comment = CommentFactory(text="When are the bins collected?", status=Comment.Status.REVIEW)
    Comment.objects.filter(pk=comment.pk).update(created_at=YEAR_ONE)
    for key, kind, amount in (("foi", "working_days", 20), ("complaint", "calendar_months", 1)):
        EscalationRoute.objects.get_or_create(
            key=key,
            defaults={
                "name": key,
                "email": f"{key}@example.org",
                "deadline_kind": kind,
                "deadline_amount": amount,
            },
        )
    return comment  # type: ignore[no-any-return]


def test_it_can_be_escalated_with_a_deadline_from_when_it_was_received(
    client: Client, olivia, comment
) -> None:
    signed_in(client, olivia)
    for key in ("foi", "complaint"):
        route = EscalationRoute.objects.get(key=key)
        client.post(f"/queue/{comment.pk}/escalate/", {"route": route.pk, "note": "x"})
        escalation = Escalation.objects.filter(comment=comment, route=route).first()
        assert escalation is not None, key
        assert escalation.deadline_at > comment.received_at, key


def test_the_daily_housekeeping_corrects_its_time_and_its_pages_render(
    client: Client, adam, comment
) -> None:
    apply_retention_job()
    comment.refresh_from_db()
    assert comment.created_at == comment.received_at
    assert comment.status == Comment.Status.REVIEW
    assert AuditEvent.objects.filter(
        event_type="moderation.comment.time_corrected", target_id=str(comment.pk)
    ).exists()
    assert comment.quarantined.exists()
    signed_in(client, adam)
    assert client.get(f"/queue/{comment.pk}/").status_code == 200
    subject = f"/settings/data-protection/authors/{comment.author_id}/"
    assert client.get(subject).status_code == 200
