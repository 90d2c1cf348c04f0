"""Once an action's success is recorded, nothing sends it again: not a repeated job, not the
scheduler, not a second worker racing the first."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.emulator import Emulator
from moderation.jobs import send_action
from moderation.models import Channel, Comment, ModerationAction
from moderation.outbox import due_action_ids
from tests.moderation.reliability.conftest import hides_per_comment, hold_abusive_comments


@pytest.mark.django_db
def test_sending_an_action_again_after_its_success_does_not_reach_the_platform(
    emulator: Emulator, facebook_channel: Channel, quick_connectors: list[float]
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 1)
    action = ModerationAction.objects.get()

    results = [send_action(action.pk), send_action(action.pk)]

    assert results == [ModerationAction.State.SUCCEEDED, "skipped"]
    comment = Comment.objects.get()
    assert hides_per_comment(emulator) == {comment.platform_id: 1}
    action.refresh_from_db()
    assert (action.state, action.attempts) == (ModerationAction.State.SUCCEEDED, 1)
    assert AuditEvent.objects.filter(event_type="moderation.action.succeeded").count() == 1


@pytest.mark.django_db
def test_a_succeeded_action_is_never_due_again_however_long_it_waits(
    emulator: Emulator, facebook_channel: Channel, quick_connectors: list[float]
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 2)
    first, second = ModerationAction.objects.order_by("pk")
    send_action(first.pk)

    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        assert due_action_ids() == [second.pk]


@pytest.fixture
def nothing_enqueued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Jobs are noted, not run: the test sends the outbox itself, from several threads."""
    noted: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, calls: noted.extend((queue, args) for args in calls),
    )
    return noted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_workers_sending_the_same_actions_at_once_reach_the_platform_once_each(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    nothing_enqueued: list[tuple[str, Any]],
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 20)
    action_ids = list(ModerationAction.objects.values_list("pk", flat=True))
    start = threading.Barrier(8)
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        mine = list(action_ids)
        random.Random(seed).shuffle(mine)
        try:
            start.wait()
            for action_id in mine:
                outcome = send_action(action_id)
                with lock:
                    results.append(outcome)
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Counter(results) == {"succeeded": 20, "skipped": 7 * 20}
    assert set(hides_per_comment(emulator).values()) == {1}
    assert len(hides_per_comment(emulator)) == 20
    assert AuditEvent.objects.filter(event_type="moderation.action.succeeded").count() == 20
