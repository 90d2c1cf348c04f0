"""The outbox of platform actions: every change of state of its rows.

An action writes ``ModerationAction`` rows (and their ``moderation.action.queued`` events) in the
caller's transaction through ``queue_platform_actions``, the one place that does, and enqueues
their send after commit. The worker (``moderation.outbox``) claims a row with a conditional
update, calls the platform outside any transaction, then records the answer here: success once
and for all; a transient failure rescheduled with exponential backoff; a permanent failure shown
to people with the platform's message. A row whose success is recorded is never sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import Actor, PendingEvent, SystemActor, record, record_many
from accounts.models import User
from moderation.connectors.errors import ConnectorError
from moderation.models import Author, Channel, Comment, ModerationAction
from smpolicy.queue import enqueue_each_on_commit

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 5
BACKOFF_CAP_SECONDS = 15 * 60
# A row left "sending" this long belongs to a worker that died; it may be sent again.
STALE_SENDING = dt.timedelta(minutes=5)
# Kinds the platform would carry out twice if sent twice (a second identical reply). When the
# outcome of a send is unknown, people check the platform before it goes again; hide, remove,
# block and their opposites are idempotent there, so they are simply sent again.
NOT_REPEATABLE = frozenset({ModerationAction.Kind.REPLY, ModerationAction.Kind.NOTICE})
# Rows are sent in jobs of this many, not one job each: an evaluated batch can decide thousands
# of automatic hides, and creating that many rq jobs took longer than evaluating the batch; jobs
# of 20 still let several workers share them.
SEND_CHUNK = 20

VISIBILITY_AFTER = {
    ModerationAction.Kind.HIDE: Comment.Visibility.HIDDEN,
    ModerationAction.Kind.UNHIDE: Comment.Visibility.VISIBLE,
    ModerationAction.Kind.REMOVE: Comment.Visibility.REMOVED,
    ModerationAction.Kind.APPROVE: Comment.Visibility.VISIBLE,
    ModerationAction.Kind.REJECT: Comment.Visibility.REMOVED,
}
# Kinds after which the platform no longer holds the comment (YouTube's held for review).
ENDS_PLATFORM_HOLD = frozenset(
    {ModerationAction.Kind.APPROVE, ModerationAction.Kind.REJECT, ModerationAction.Kind.REMOVE}
)


def connector_actor(channel: Channel) -> SystemActor:
    """Who records a platform's answer in the audit log: the channel's connector."""
    return SystemActor.connector(f"{channel.platform} connector ({channel.shown_name})")


def send_after_commit(action_ids: Sequence[int]) -> None:
    """Enqueue the worker's send of outbox rows, in jobs of ``SEND_CHUNK``, after the commit."""
    ids = list(action_ids)
    chunks = [(ids[i : i + SEND_CHUNK],) for i in range(0, len(ids), SEND_CHUNK)]
    # By dotted path: the jobs module imports the actions, not the other way round.
    enqueue_each_on_commit("actions", "moderation.jobs.send_actions", chunks)


@dataclass(frozen=True)
class PlatformRequest:
    """One outbox row to write: ``kind`` on ``comment`` (or on ``author``, for a block)."""

    comment: Comment
    kind: str
    actor: Actor
    text: str = ""
    author_id: int | None = None  # the comment's author when None


def queue_platform_actions(
    requests: Sequence[PlatformRequest], *, awaiting_approval: bool = False
) -> list[ModerationAction]:
    """Write the outbox rows and their audit events; their send is enqueued after commit.

    Rows ``awaiting_approval`` are written but not sent: a manager's approval sends them.
    """
    if not requests:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queue_platform_actions must run inside the action's transaction.")
    now = timezone.now()
    state = (
        ModerationAction.State.AWAITING_APPROVAL
        if awaiting_approval
        else ModerationAction.State.PENDING
    )
    actions = ModerationAction.objects.bulk_create(
        [
            ModerationAction(
                channel_id=request.comment.channel_id,
                comment_id=request.comment.pk,
                author_id=request.author_id or request.comment.author_id,
                kind=request.kind,
                text=request.text,
                state=state,
                requested_at=now,
                next_attempt_at=None if awaiting_approval else now,
                actor=request.actor if isinstance(request.actor, User) else None,
                actor_label=request.actor.label,
            )
            for request in requests
        ]
    )
    record_many(
        [
            PendingEvent(
                "moderation.action.queued",
                actor=request.actor,
                target=action,
                target_repr=f"{request.kind} on comment {request.comment.pk}",
                channel_id=request.comment.channel_id,
                after={"kind": request.kind, "state": state, "comment_id": request.comment.pk},
            )
            for action, request in zip(actions, requests, strict=True)
        ]
    )
    if not awaiting_approval:
        send_after_commit([action.pk for action in actions])
    return actions


def queue_platform_action(
    comment: Comment,
    kind: str,
    *,
    actor: Actor,
    text: str = "",
    author: Author | None = None,
    awaiting_approval: bool = False,
) -> ModerationAction:
    """One outbox row (``queue_platform_actions``), with its comment and author attached."""
    request = PlatformRequest(comment, kind, actor, text, author.pk if author else None)
    [action] = queue_platform_actions([request], awaiting_approval=awaiting_approval)
    action.channel = comment.channel
    action.comment = comment
    return action


@transaction.atomic
def do_claim_action(action_id: int, *, actor: Actor) -> ModerationAction | None:
    """Move one row from pending to sending, and give it; None if someone else has it or it is
    finished.

    A row abandoned mid-send by a dead worker is claimed again, unless its kind is not
    repeatable: that one fails, for people to check the platform (it may have been posted).
    """
    now = timezone.now()
    abandoned = Q(state=ModerationAction.State.SENDING, next_attempt_at__lt=now - STALE_SENDING)
    claimed = ModerationAction.objects.filter(
        Q(state=ModerationAction.State.PENDING) | (abandoned & ~Q(kind__in=NOT_REPEATABLE)),
        pk=action_id,
    ).update(state=ModerationAction.State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if claimed == 1:
        action = ModerationAction.objects.select_related("channel", "comment__post", "author").get(
            pk=action_id
        )
        record(
            "moderation.action.sending",
            actor=actor,
            target=action,
            target_repr=f"{action.kind} on comment {action.comment_id}",
            channel_id=action.channel_id,
            after={"state": action.state, "attempts": action.attempts},
        )
        return action
    stranded = (
        ModerationAction.objects.select_for_update()
        .filter(abandoned, kind__in=NOT_REPEATABLE, pk=action_id)
        .select_related("channel")
        .first()
    )
    if stranded is not None:
        unknown = ConnectorError(
            "The worker stopped while sending this; it may have been posted. Check the "
            "platform before trying it again.",
            outcome_unknown=True,
        )
        do_record_action_failure(stranded, unknown, actor=connector_actor(stranded.channel))
    return None


@transaction.atomic
def do_record_action_success(
    action: ModerationAction, response: dict[str, object], platform_id: str, *, actor: Actor
) -> None:
    action.state = ModerationAction.State.SUCCEEDED
    action.platform_response = response
    action.platform_id = platform_id[:128]
    action.last_error = ""
    action.completed_at = timezone.now()
    action.save(
        update_fields=["state", "platform_response", "platform_id", "last_error", "completed_at"]
    )
    visibility = VISIBILITY_AFTER.get(ModerationAction.Kind(action.kind))
    if visibility is not None and action.comment_id:
        Comment.objects.filter(pk=action.comment_id).update(visibility=visibility)
    if action.kind in ENDS_PLATFORM_HOLD and action.comment_id:
        Comment.objects.filter(pk=action.comment_id).update(platform_status="")
    if (
        action.kind in (ModerationAction.Kind.BLOCK, ModerationAction.Kind.UNBLOCK)
        and action.author_id is not None
    ):
        Author.objects.filter(pk=action.author_id).update(
            blocked=action.kind == ModerationAction.Kind.BLOCK
        )
    record(
        "moderation.action.succeeded",
        actor=actor,
        target=action,
        target_repr=f"{action.kind} on comment {action.comment_id}",
        channel_id=action.channel_id,
        after={"state": action.state, "attempts": action.attempts, "platform_id": platform_id},
    )


@transaction.atomic
def do_record_action_failure(
    action: ModerationAction, error: ConnectorError, *, actor: Actor
) -> str:
    # Sending again after an unknown outcome could post a reply twice (the HTTP wrapper marks
    # such errors after a read timeout or a 5xx on a request that creates something).
    permanent = (
        bool(getattr(error, "permanent", False))
        or bool(getattr(error, "outcome_unknown", False))
        or action.attempts >= MAX_ATTEMPTS
    )
    action.last_error = str(error)[:2000]
    if permanent:
        action.state = ModerationAction.State.FAILED
        action.completed_at = timezone.now()
    else:
        action.state = ModerationAction.State.PENDING
        delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, action.attempts - 1))
        retry_after = getattr(error, "retry_after", None) or 0
        wait = max(float(retry_after), random.uniform(delay / 2, delay))
        action.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
    action.save(update_fields=["state", "last_error", "completed_at", "next_attempt_at"])
    record(
        "moderation.action.failed" if permanent else "moderation.action.retry_scheduled",
        actor=actor,
        target=action,
        target_repr=f"{action.kind} on comment {action.comment_id}",
        channel_id=action.channel_id,
        after={
            "state": action.state,
            "attempts": action.attempts,
            "error": action.last_error,
            "next_attempt_at": action.next_attempt_at if not permanent else None,
        },
    )
    return action.state


@transaction.atomic
def do_retry_action(action: ModerationAction, *, actor: Actor) -> None:
    """An officer asks for a failed action to be tried again."""
    if action.state != ModerationAction.State.FAILED:
        raise ValueError("Only a failed action can be retried.")
    action.state = ModerationAction.State.PENDING
    action.attempts = 0
    action.next_attempt_at = timezone.now()
    action.completed_at = None
    action.save(update_fields=["state", "attempts", "next_attempt_at", "completed_at"])
    record(
        "moderation.action.retried",
        actor=actor,
        target=action,
        channel_id=action.channel_id,
        after={"state": action.state},
    )
    send_after_commit([action.pk])


# Rows not sent (or not sent yet): cancelling them is all it takes to take them back.
CANCELLABLE_STATES = (
    ModerationAction.State.AWAITING_APPROVAL,
    ModerationAction.State.PENDING,
    ModerationAction.State.FAILED,
)


def cancel_unsent_action(action: ModerationAction, *, actor: Actor, reason: str) -> bool:
    """Cancel an outbox row that has not been sent; False if a worker has already taken it."""
    cancelled = ModerationAction.objects.filter(pk=action.pk, state__in=CANCELLABLE_STATES).update(
        state=ModerationAction.State.CANCELLED,
        completed_at=timezone.now(),
        last_error=f"Cancelled by {actor.label}: {reason}"[:2000],
    )
    if cancelled:
        record(
            "moderation.action.cancelled",
            actor=actor,
            target=action,
            target_repr=f"{action.kind} on comment {action.comment_id}",
            channel_id=action.channel_id,
            before={"state": action.state},
            after={"state": ModerationAction.State.CANCELLED},
            data={"reason": reason},
        )
    return bool(cancelled)
