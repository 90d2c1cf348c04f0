"""The outbox against a platform that throttles, errors and hangs: late, never lost, never twice.

The comments come in as in production (a poll of the emulated Page, then the rules), and the
outbox is driven as the scheduler drives it: each tick sends the rows that are due
(``due_action_ids``), then the clock jumps past the longest backoff. Connectors use short
timeouts and record their own short waits instead of sleeping (see ``quick_connectors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEvent, User
from moderation.actions.comments import do_reply_to_comment
from moderation.actions.outbox import (
    BACKOFF_CAP_SECONDS,
    MAX_ATTEMPTS,
    STALE_SENDING,
    do_retry_action,
)
from moderation.emulator import Emulator
from moderation.jobs import poll_channel, send_action
from moderation.models import Channel, Comment, ModerationAction
from moderation.outbox import due_action_ids
from tests.moderation.reliability.conftest import (
    hides_per_comment,
    hold_abusive_comments,
    seed_comments,
)

pytestmark = pytest.mark.django_db
WAITING = (ModerationAction.State.PENDING, ModerationAction.State.SENDING)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def _scheduler_ticks(clock: time_machine.Traveller, *, limit: int = 3 * MAX_ATTEMPTS) -> int:
    """Send what is due, jump past the longest backoff, again, until nothing waits."""
    for tick in range(1, limit + 1):
        for action_id in due_action_ids():
            send_action(action_id)
        if not ModerationAction.objects.filter(state__in=WAITING).exists():
            return tick
        clock.shift(dt.timedelta(seconds=BACKOFF_CAP_SECONDS + 1))
    raise AssertionError(f"actions still waiting after {limit} ticks")


def test_throttling_errors_and_timeouts_delay_every_hide_but_each_arrives_once(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    clock: time_machine.Traveller,
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 6)
    emulator.set_faults("facebook", "429", 3, method="POST", retry_after=120)
    emulator.set_faults("facebook", "500", 3, method="POST")
    emulator.set_faults("facebook", "hang", 2, method="POST", hang_seconds=60)

    ticks = _scheduler_ticks(clock)

    assert ticks > 1
    actions = ModerationAction.objects.all()
    assert {a.state for a in actions} == {ModerationAction.State.SUCCEEDED}
    assert max(a.attempts for a in actions) > 1
    assert hides_per_comment(emulator) == dict.fromkeys(
        Comment.objects.values_list("platform_id", flat=True), 1
    )
    assert set(Comment.objects.values_list("visibility", flat=True)) == {"hidden"}
    retries = AuditEvent.objects.filter(event_type="moderation.action.retry_scheduled")
    assert retries.count() == sum(a.attempts - 1 for a in actions)


def test_a_platform_asking_to_wait_is_not_called_again_before_then(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    clock: time_machine.Traveller,
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 1)
    action = ModerationAction.objects.get()
    emulator.set_faults("facebook", "429", 1, method="POST", retry_after=600)

    assert send_action(action.pk) == ModerationAction.State.PENDING

    action.refresh_from_db()
    assert action.next_attempt_at is not None
    assert action.next_attempt_at >= timezone.now() + dt.timedelta(seconds=590)
    assert "(#4) Application request limit reached" in action.last_error
    clock.shift(dt.timedelta(seconds=300))
    assert due_action_ids() == []
    clock.shift(dt.timedelta(seconds=301))
    assert due_action_ids() == [action.pk]
    assert send_action(action.pk) == ModerationAction.State.SUCCEEDED


def test_an_expired_token_fails_the_action_at_once_with_the_platforms_message(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    clock: time_machine.Traveller,
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 3)
    emulator.set_faults("facebook", "expired_token", 1, method="POST")

    _scheduler_ticks(clock)

    failed = ModerationAction.objects.get(state=ModerationAction.State.FAILED)
    assert failed.attempts == 1
    assert failed.last_error.startswith("Facebook: Error validating access token")
    assert "Session has expired" in failed.last_error
    assert failed.completed_at is not None
    assert ModerationAction.objects.filter(state="succeeded").count() == 2
    assert failed.comment is not None
    assert failed.comment.platform_id not in hides_per_comment(emulator)
    event = AuditEvent.objects.get(event_type="moderation.action.failed")
    assert event.target_id == str(failed.pk)
    assert event.after is not None and "Error validating access token" in event.after["error"]


def test_an_action_that_keeps_failing_is_given_up_after_the_last_attempt_and_shown(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    clock: time_machine.Traveller,
) -> None:
    hold_abusive_comments(emulator, facebook_channel, 1)
    emulator.set_faults("facebook", "500", 1_000, method="POST")

    _scheduler_ticks(clock)

    action = ModerationAction.objects.get()
    assert action.state == ModerationAction.State.FAILED
    assert action.attempts == MAX_ATTEMPTS
    assert "An unexpected error has occurred" in action.last_error
    assert hides_per_comment(emulator) == {}


def test_a_reply_that_may_have_reached_the_platform_is_not_posted_again_by_itself(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    clock: time_machine.Traveller,
    olivia: User,
) -> None:
    seed_comments(emulator, 1, every_abusive=2)
    poll_channel(facebook_channel.pk)
    comment = Comment.objects.get()
    reply = do_reply_to_comment(comment, "We have passed this to the highways team.", actor=olivia)
    # A 500 after a POST that creates something: the platform may have posted it.
    emulator.set_faults("facebook", "500", 1, method="POST", path_contains="/comments")

    _scheduler_ticks(clock)

    reply.refresh_from_db()
    assert reply.state == ModerationAction.State.FAILED
    assert "may have received it" in reply.last_error
    assert [a for a in emulator.actions if a["action"] == "reply"] == []

    do_retry_action(reply, actor=olivia)  # an officer checked the Page: it was not posted
    _scheduler_ticks(clock)

    reply.refresh_from_db()
    assert reply.state == ModerationAction.State.SUCCEEDED
    assert len([a for a in emulator.actions if a["action"] == "reply"]) == 1


def test_a_reply_left_sending_by_a_dead_worker_is_shown_as_failed_not_posted_again(
    emulator: Emulator,
    facebook_channel: Channel,
    quick_connectors: list[float],
    clock: time_machine.Traveller,
    olivia: User,
) -> None:
    seed_comments(emulator, 1, every_abusive=2)
    poll_channel(facebook_channel.pk)
    reply = do_reply_to_comment(Comment.objects.get(), "Thank you, noted.", actor=olivia)
    # A worker claimed it, and died before recording the platform's answer.
    ModerationAction.objects.filter(pk=reply.pk).update(
        state=ModerationAction.State.SENDING, attempts=1, next_attempt_at=timezone.now()
    )
    clock.shift(STALE_SENDING + dt.timedelta(seconds=1))

    assert due_action_ids() == [reply.pk]
    assert send_action(reply.pk) == "skipped"

    reply.refresh_from_db()
    assert reply.state == ModerationAction.State.FAILED
    assert "may have been posted" in reply.last_error
    assert [a for a in emulator.actions if a["action"] == "reply"] == []
    assert due_action_ids() == []
