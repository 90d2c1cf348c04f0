"""The outbox of platform actions.

An action writes a ``ModerationAction`` row (and its audit event) in the caller's transaction and
enqueues ``send_action`` after commit. The worker claims the row with a conditional update, calls
the platform outside any transaction, then records the answer: success once and for all; a
transient failure rescheduled with exponential backoff; a permanent failure shown to people with
the platform's message. A row whose success is recorded is never sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import Actor, SystemActor, record
from accounts.models import User
from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import ConnectorError
from moderation.models import Author, Comment, ModerationAction
from moderation.platforms import connector_for
from smpolicy.queue import enqueue_on_commit

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 5
BACKOFF_CAP_SECONDS = 15 * 60
# A row left "sending" this long belongs to a worker that died; it may be sent again.
STALE_SENDING = dt.timedelta(minutes=5)
# Kinds the platform would carry out twice if sent twice (a second identical reply). When the
# outcome of a send is unknown, people check the platform before it goes again; hide, delete,
# block and their opposites are idempotent there, so they are simply sent again.
NOT_REPEATABLE = frozenset({ModerationAction.Kind.REPLY, ModerationAction.Kind.NOTICE})

VISIBILITY_AFTER = {
    ModerationAction.Kind.HIDE: Comment.Visibility.HIDDEN,
    ModerationAction.Kind.UNHIDE: Comment.Visibility.VISIBLE,
    ModerationAction.Kind.DELETE: Comment.Visibility.REMOVED,
    ModerationAction.Kind.APPROVE: Comment.Visibility.VISIBLE,
    ModerationAction.Kind.REJECT: Comment.Visibility.REMOVED,
}
# Kinds after which the platform no longer holds the comment (YouTube's held for review).
ENDS_PLATFORM_HOLD = frozenset(
    {ModerationAction.Kind.APPROVE, ModerationAction.Kind.REJECT, ModerationAction.Kind.DELETE}
)


def _actor_fields(actor: Actor) -> dict[str, object]:
    if isinstance(actor, User):
        return {"actor": actor, "actor_label": actor.label}
    return {"actor": None, "actor_label": actor.label}


def send_after_commit(action_id: int) -> None:
    """Enqueue the worker's send of one outbox row, once the current transaction commits."""
    # Imported here: moderation.jobs imports this module (the worker calls perform_action).
    from moderation.jobs import send_action

    enqueue_on_commit("actions", send_action, action_id)


def queue_platform_action(
    comment: Comment | None,
    kind: str,
    *,
    actor: Actor,
    text: str = "",
    author: Author | None = None,
    awaiting_approval: bool = False,
) -> ModerationAction:
    """Write the outbox row and its audit event; the send happens after commit.

    A row ``awaiting_approval`` is written but not sent: a manager's approval sends it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queue_platform_action must run inside the action's transaction.")
    channel = comment.channel if comment is not None else None
    if channel is None:
        raise ValueError("A platform action needs the comment whose channel it reaches.")
    action = ModerationAction.objects.create(
        channel=channel,
        comment=comment,
        author=author or (comment.author if comment is not None else None),
        kind=kind,
        text=text,
        state=(
            ModerationAction.State.AWAITING_APPROVAL
            if awaiting_approval
            else ModerationAction.State.PENDING
        ),
        requested_at=timezone.now(),
        next_attempt_at=None if awaiting_approval else timezone.now(),
        **_actor_fields(actor),
    )
    record(
        "moderation.action.queued",
        actor=actor,
        target=action,
        target_repr=f"{kind} on comment {comment.pk if comment else '-'}",
        channel_id=channel.pk,
        after={"kind": kind, "state": action.state, "comment_id": comment.pk if comment else None},
    )
    if not awaiting_approval:
        send_after_commit(action.pk)
    return action


def claim_action(action_id: int) -> bool:
    """Move one row from pending to sending; False if someone else has it or it is finished.

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
        return True
    with transaction.atomic():
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
            do_record_action_failure(stranded, unknown)
    return False


def perform_action(action_id: int) -> str:
    """Send one outbox row to its platform. Returns the row's resulting state."""
    if not claim_action(action_id):
        return "skipped"
    action = ModerationAction.objects.select_related("channel", "comment", "author").get(
        pk=action_id
    )
    target = ActionTarget(
        comment_platform_id=action.comment.platform_id if action.comment else "",
        author_platform_id=action.author.platform_id if action.author else "",
        post_platform_id=(
            action.comment.post.platform_id if action.comment and action.comment.post else ""
        ),
        text=action.text,
        parent_platform_id=action.comment.parent_platform_id if action.comment else "",
        private=action.comment.private if action.comment else False,
    )
    try:
        result = connector_for(action.channel).perform(action.kind, target)
    except ConnectorError as error:
        return do_record_action_failure(action, error)
    except Exception as error:  # a bug or an unreadable answer must not leave the row stuck
        log.exception("Action %s crashed", action_id)
        wrapped = ConnectorError(
            f"Unexpected error: {type(error).__name__}: {error}",
            # The request may have gone out before the crash: a reply must not go twice.
            outcome_unknown=action.kind in NOT_REPEATABLE,
        )
        wrapped.permanent = False
        return do_record_action_failure(action, wrapped)
    do_record_action_success(action, dict(result.platform_response), result.platform_id)
    return ModerationAction.State.SUCCEEDED


def _connector_actor(action: ModerationAction) -> SystemActor:
    return SystemActor.connector(
        f"{action.channel.platform} connector ({action.channel.shown_name})"
    )


@transaction.atomic
def do_record_action_success(
    action: ModerationAction, response: dict[str, object], platform_id: str
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
        actor=_connector_actor(action),
        target=action,
        target_repr=f"{action.kind} on comment {action.comment_id}",
        channel_id=action.channel_id,
        after={"state": action.state, "attempts": action.attempts, "platform_id": platform_id},
    )


@transaction.atomic
def do_record_action_failure(action: ModerationAction, error: ConnectorError) -> str:
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
        actor=_connector_actor(action),
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
    send_after_commit(action.pk)


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


def due_action_ids(limit: int = 500) -> list[int]:
    """Pending rows whose time has come, and sending rows abandoned by a dead worker."""
    now = timezone.now()
    return list(
        ModerationAction.objects.filter(
            Q(state=ModerationAction.State.PENDING, next_attempt_at__lte=now)
            | Q(state=ModerationAction.State.SENDING, next_attempt_at__lt=now - STALE_SENDING)
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
