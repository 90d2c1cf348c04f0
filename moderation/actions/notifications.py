"""The outbox of emails to people (``Notification``): queued with what they tell about, sent by a
worker, retried with backoff until they go.

An escalation or a spike writes its notification row in its own transaction and enqueues the
send after commit. If that enqueue is lost (Redis down, a worker killed mid-job), the scheduler
finds the row due and enqueues it again; if the mail server refuses, the row is rescheduled,
each time later, up to an hour apart, and shown on the admins' status page. Sending twice is
prevented by the senders themselves, which check the audit log for an earlier email.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.models import Escalation, Notification
from smpolicy.queue import enqueue_each_on_commit

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
# A row left "sending" this long belongs to a worker that died; it may be sent again.
STALE_SENDING = dt.timedelta(minutes=5)


def queue_escalation_notices(escalations: Sequence[Escalation]) -> list[Notification]:
    """One notification per escalation, sent after the caller's transaction commits."""
    now = timezone.now()
    rows = [
        Notification(
            kind=Notification.Kind.ESCALATION,
            escalation=escalation,
            next_attempt_at=now,
            created_at=now,
        )
        for escalation in escalations
    ]
    return _queue(rows)


def queue_spike_notice(event_id: int) -> Notification:
    """The crisis team's alert about one detected spike, sent after the caller's commit."""
    now = timezone.now()
    [row] = _queue(
        [
            Notification(
                kind=Notification.Kind.SPIKE,
                audit_event_id=event_id,
                next_attempt_at=now,
                created_at=now,
            )
        ]
    )
    return row


def queue_notifications(rows: list[Notification]) -> list[Notification]:
    """Unsaved rows built elsewhere (the on-call alerts of ``moderation.at_risk``)."""
    return _queue(rows) if rows else []


def _queue(rows: list[Notification]) -> list[Notification]:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A notification must be queued inside its action's transaction.")
    created = Notification.objects.bulk_create(rows)
    # By dotted path: the job module imports the actions, not the other way round.
    enqueue_each_on_commit(
        "default", "moderation.jobs.send_notification", [(n.pk,) for n in created]
    )
    return created


@transaction.atomic
def do_claim_notification(notification_id: int, *, actor: Actor) -> Notification | None:
    """Move one row from pending (or abandoned mid-send) to sending, and give it; None if it is
    not ours."""
    now = timezone.now()
    abandoned = Q(state=Notification.State.SENDING, next_attempt_at__lt=now - STALE_SENDING)
    claimed = Notification.objects.filter(
        Q(state=Notification.State.PENDING) | abandoned, pk=notification_id
    ).update(state=Notification.State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if claimed != 1:
        return None
    notification = Notification.objects.get(pk=notification_id)
    record(
        "moderation.notification.sending",
        actor=actor,
        target=notification,
        target_repr=f"{notification.kind} notification {notification.pk}",
        after={"state": notification.state, "attempts": notification.attempts},
    )
    return notification


@transaction.atomic
def do_record_notification_sent(notification: Notification, outcome: str, *, actor: Actor) -> None:
    """Close the row with what happened ("sent", "no address" …). The email itself has its own
    ``…emailed`` event, recorded by the sender as it sends."""
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.SENT, outcome=outcome[:40], sent_at=timezone.now(), last_error=""
    )
    record(
        "moderation.notification.closed",
        actor=actor,
        target=notification,
        target_repr=f"{notification.kind} notification {notification.pk}",
        after={"state": Notification.State.SENT, "outcome": outcome[:40]},
    )


@transaction.atomic
def do_record_email_sent(
    event_type: str,
    target: models.Model,
    recipients: Sequence[str],
    *,
    actor: Actor,
    channel_id: int | None = None,
    target_repr: str = "",
    data: Mapping[str, Any] | None = None,
) -> None:
    """That an email (``…emailed``) went to these people. Senders look for this event before
    sending, so the same alert is never emailed twice."""
    record(
        event_type,
        actor=actor,
        target=target,
        target_repr=target_repr,
        channel_id=channel_id,
        data={**(data or {}), "recipients": list(recipients)},
    )


@transaction.atomic
def do_record_notification_failure(
    notification: Notification, error: BaseException, *, actor: Actor
) -> str:
    """The mail could not be sent: try again later, each time later (never given up on)."""
    attempts = max(1, notification.attempts)
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempts - 1))
    wait = random.uniform(delay / 2, delay)
    notification.state = Notification.State.PENDING
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    notification.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
    notification.save(update_fields=["state", "last_error", "next_attempt_at"])
    record(
        "moderation.notification.retry_scheduled",
        actor=actor,
        target=notification,
        target_repr=f"{notification.kind} notification {notification.pk}",
        after={
            "attempts": notification.attempts,
            "error": notification.last_error,
            "next_attempt_at": notification.next_attempt_at,
        },
    )
    return notification.state


def due_notification_ids(limit: int = 500) -> list[int]:
    """Rows whose time has come, and rows abandoned mid-send by a dead worker."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, next_attempt_at__lt=now - STALE_SENDING)
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
