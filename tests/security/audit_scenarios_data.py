"""Audit scenarios for the actions of quarantine, erasure and notifications, for
``tests/test_every_action_records_an_audit_event.py`` (kept here so that file stays small)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from accounts.audit import SystemActor
from moderation.actions import notifications, quarantine
from moderation.models import Notification, QuarantinedItem
from tests.factories import ChannelFactory, CommentFactory, make_user

SYSTEM = SystemActor.system("test")


def _new_comment(**fields: object) -> int:
    return CommentFactory(status="new", **fields).pk


def _quarantined() -> QuarantinedItem:
    return QuarantinedItem.objects.create(
        channel=ChannelFactory(),
        source=QuarantinedItem.Source.POLL,
        outcome=QuarantinedItem.Outcome.REJECTED,
        reason="Bluesky post item without an id skipped: missing post URI",
        raw='{"record": {"text": "hello"}}',
        created_at=timezone.now(),
    )


def _notification() -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        kind=Notification.Kind.SPIKE, audit_event_id=1, next_attempt_at=now, created_at=now
    )


DATA_SCENARIOS: dict[str, Callable[[], str]] = {
    "moderation.actions.notifications.do_record_notification_failure": lambda: (
        notifications.do_record_notification_failure(
            _notification(), ConnectionRefusedError("mail server away"), actor=SYSTEM
        ),
        "moderation.notification.retry_scheduled",
    )[1],
    "moderation.actions.notifications.do_claim_notification": lambda: (
        notifications.do_claim_notification(_notification().pk, actor=SYSTEM),
        "moderation.notification.sending",
    )[1],
    "moderation.actions.notifications.do_record_email_sent": lambda: (
        notifications.do_record_email_sent(
            "moderation.at_risk.on_call_emailed",
            (comment := CommentFactory()),
            ["on-call@example.gov.uk"],
            actor=SYSTEM,
            channel_id=comment.channel_id,
        ),
        "moderation.at_risk.on_call_emailed",
    )[1],
    "moderation.actions.notifications.do_record_notification_sent": lambda: (
        notifications.do_record_notification_sent(_notification(), "sent", actor=SYSTEM),
        "moderation.notification.closed",
    )[1],
    "moderation.actions.quarantine.do_correct_comment_times": lambda: (
        quarantine.do_correct_comment_times(
            {_new_comment(created_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC)): "is before 2000"},
            actor=SYSTEM,
        ),
        "moderation.comment.time_corrected",
    )[1],
    "moderation.actions.quarantine.do_hold_unchecked_comments": lambda: (
        quarantine.do_hold_unchecked_comments({_new_comment(): "RecursionError"}, actor=SYSTEM),
        "moderation.comment.held_unchecked",
    )[1],
    "moderation.actions.quarantine.do_reveal_quarantined_item": lambda: (
        quarantine.do_reveal_quarantined_item(
            _quarantined(), actor=make_user(f"admin{timezone.now().timestamp()}", "admin")
        ),
        "moderation.quarantine.item_revealed",
    )[1],
}
