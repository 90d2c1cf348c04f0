"""Replies that wait for a manager before they are sent.

An admin chooses channels (``Channel.replies_need_approval``) and categories
(``Organisation.reply_approval_categories``) whose replies need a manager's approval. Such a
reply is written to the outbox in the "awaiting" state, which the worker never sends. A manager
approves it (it becomes pending and is sent) or rejects it with a reason (it is cancelled, and
the item goes back to the queue, assigned to the officer who wrote it). A manager's own replies
are not held: they are the approvers. Each decision is audited.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from accounts.roles import user_can
from moderation.actions.comments import ActionRefused
from moderation.actions.organisation import organisation_for_update
from moderation.actions.outbox import send_after_commit
from moderation.models import Channel, Comment, ModerationAction, Organisation
from rules.engine.types import CATEGORIES

MAX_REASON_LENGTH = 1000


def _approval_snapshot(org: Organisation) -> dict[str, list[str]]:
    channels = Channel.objects.filter(replies_need_approval=True).order_by("platform", "name")
    return {
        "channels": [str(channel) for channel in channels],
        "categories": sorted(org.reply_approval_categories or []),
    }


@transaction.atomic
def do_set_reply_approval(
    channel_ids: Collection[int], categories: Collection[str], *, actor: Actor
) -> bool:
    """Choose which channels and categories hold replies for approval; False if unchanged."""
    unknown = set(categories) - set(CATEGORIES)
    if unknown:
        raise ActionRefused(f"Unknown categories: {', '.join(sorted(unknown))}.")
    org = organisation_for_update()
    before = _approval_snapshot(org)
    Channel.objects.filter(pk__in=channel_ids).update(replies_need_approval=True)
    Channel.objects.exclude(pk__in=channel_ids).update(replies_need_approval=False)
    org.reply_approval_categories = sorted(set(categories))
    org.save(update_fields=["reply_approval_categories"])
    after = _approval_snapshot(org)
    if after == before:
        return False
    record(
        "moderation.reply_approval.changed",
        actor=actor,
        target=org,
        before=before,
        after=after,
    )
    return True


def _lock_awaiting(action: ModerationAction, actor: Actor) -> ModerationAction:
    if not isinstance(actor, User) or not user_can(actor, "approve_replies"):
        raise ActionRefused("Your role does not allow approving replies.")
    action = (
        ModerationAction.objects.select_for_update(of=("self",))
        .select_related("comment", "channel")
        .get(pk=action.pk)
    )
    if action.state != ModerationAction.State.AWAITING_APPROVAL:
        raise ActionRefused(
            f"This reply is no longer waiting for approval: it is "
            f"{action.get_state_display().lower()}."
        )
    return action


@transaction.atomic
def do_approve_reply(action: ModerationAction, *, actor: Actor) -> ModerationAction:
    action = _lock_awaiting(action, actor)
    action.state = ModerationAction.State.PENDING
    action.next_attempt_at = timezone.now()
    action.reviewed_by_label = actor.label
    action.save(update_fields=["state", "next_attempt_at", "reviewed_by_label"])
    record(
        "moderation.reply.approved",
        actor=actor,
        target=action,
        target_repr=f"reply on comment {action.comment_id}",
        channel_id=action.channel_id,
        before={"state": ModerationAction.State.AWAITING_APPROVAL},
        after={"state": action.state},
        data={"written_by": action.actor_label},
    )
    send_after_commit([action.pk])
    return action


@transaction.atomic
def do_reject_reply(action: ModerationAction, *, actor: Actor, reason: str) -> ModerationAction:
    """Refuse a held reply, saying why; the item returns to the queue for its officer."""
    reason = reason.strip()[:MAX_REASON_LENGTH]
    if not reason:
        raise ActionRefused("Say why the reply is rejected: the officer needs to know.")
    action = _lock_awaiting(action, actor)
    now = timezone.now()
    action.state = ModerationAction.State.CANCELLED
    action.completed_at = now
    action.reviewed_by_label = actor.label
    action.last_error = f"Rejected by {actor.label}: {reason}"[:2000]
    action.save(update_fields=["state", "completed_at", "reviewed_by_label", "last_error"])
    comment = (
        Comment.objects.select_for_update().filter(pk=action.comment_id).first()
        if action.comment_id is not None
        else None
    )
    reopened = False
    if (
        comment is not None
        and action.kind == ModerationAction.Kind.REPLY
        and comment.status == Comment.Status.DONE
    ):
        # The reply closed the item; without it the item still needs an answer. (A removal
        # notice did not close it: the hide or removal did, and that stands.)
        comment.status = Comment.Status.REVIEW
        comment.handled_by = None
        comment.handled_at = None
        comment.assigned_to_id = action.actor_id
        comment.save(update_fields=["status", "handled_by", "handled_at", "assigned_to"])
        reopened = True
    elif comment is not None and action.actor_id is not None:
        comment.assigned_to_id = action.actor_id
        comment.save(update_fields=["assigned_to"])
    record(
        "moderation.reply.rejected",
        actor=actor,
        target=action,
        target_repr=f"reply on comment {action.comment_id}",
        channel_id=action.channel_id,
        before={"state": ModerationAction.State.AWAITING_APPROVAL},
        after={"state": action.state, "item_reopened": reopened, "assigned_to": action.actor_label},
        data={"reason": reason, "written_by": action.actor_label},
    )
    return action
