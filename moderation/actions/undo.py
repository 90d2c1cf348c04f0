"""Undoing an officer's last action, as far as the platform allows, and reopening items.

An action that has not left the outbox yet is simply cancelled (the worker only sends rows that
are still pending, and the cancel is a conditional update from pending). One already sent is
undone by its opposite where the platform has one: a hide by an unhide, a block by an unblock.
A removal or a posted reply cannot be taken back through any platform's API, so undo says so.
Approving and ignoring have no platform effect, so undoing them reopens the item.
"""

from __future__ import annotations

from django.db import transaction

from accounts.audit import Actor, record
from accounts.models import User
from moderation.actions.comments import ActionRefused
from moderation.actions.outbox import (
    CANCELLABLE_STATES,
    cancel_unsent_action,
    queue_platform_action,
)
from moderation.actions.strikes import take_back_strike
from moderation.models import Comment, ModerationAction
from moderation.platforms import capabilities_for

UNDOABLE_VERBS = ("hide", "remove", "approve", "ignore", "reply", "block")
# Verbs that close the item: undoing them puts it back in the queue.
CLOSING_VERBS = ("hide", "remove", "approve", "ignore")


def can_undo(comment_id: int, verb: str, action_id: int | None, *, actor: User) -> bool:
    """Whether undoing ``verb`` would work now: the console offers "u" only when it would.

    Approving and ignoring can always be reopened (while nobody else has handled the item
    since). A platform action can be undone while its outbox row has not been sent, and after
    that only where the platform has an opposite (an unhide for a hide, an unblock for a
    block); a removal or a posted reply cannot be taken back once sent.
    """
    if verb not in UNDOABLE_VERBS:
        return False
    comment = Comment.objects.select_related("channel").filter(pk=comment_id).first()
    if comment is None:
        return False
    if verb in CLOSING_VERBS and (
        comment.status != Comment.Status.DONE or comment.handled_by_id not in (None, actor.pk)
    ):
        return False
    if verb in ("approve", "ignore"):
        return True
    state = (
        ModerationAction.objects.filter(pk=action_id, comment_id=comment_id)
        .values_list("state", flat=True)
        .first()
        if action_id
        else None
    )
    if state in CANCELLABLE_STATES:
        return True
    caps = capabilities_for(comment.channel)
    return (verb == "hide" and caps.unhide) or (verb == "block" and caps.unblock)


def _lock(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update().select_related("channel", "author").get(pk=comment.pk)
    )


def _reopen(comment: Comment, *, restore_flags: bool, unhiding: bool = False) -> None:
    """Back to the queue: held while it is (or is being) hidden, else to review."""
    hidden = not unhiding and (
        comment.visibility == Comment.Visibility.HIDDEN
        or comment.actions.filter(
            kind=ModerationAction.Kind.HIDE, state__in=["pending", "sending"]
        ).exists()
    )
    comment.status = Comment.Status.HELD if hidden else Comment.Status.REVIEW
    comment.handled_by = None
    comment.handled_at = None
    comment.save(update_fields=["status", "handled_by", "handled_at"])
    if restore_flags:
        comment.flags.filter(shadow=False, reversed=True).update(reversed=False)


@transaction.atomic
def do_reopen_comment(comment: Comment, *, actor: Actor, restore_flags: bool = False) -> None:
    """Put a done item back in the queue (held if it is hidden, otherwise to review)."""
    comment = _lock(comment)
    if comment.status != Comment.Status.DONE:
        raise ActionRefused("This item is still open.")
    before = {"status": comment.status, "visibility": comment.visibility}
    _reopen(comment, restore_flags=restore_flags)
    record(
        "moderation.comment.reopened",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after={"status": comment.status, "visibility": comment.visibility},
    )


@transaction.atomic
def do_cancel_action(action: ModerationAction, *, actor: Actor, reason: str = "") -> None:
    """Withdraw an outbox row not yet sent, or dismiss a failed one (done by hand instead)."""
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    reason = reason.strip()[:500] or (
        "done by hand on the platform" if action.state == "failed" else "withdrawn"
    )
    if not cancel_unsent_action(action, actor=actor, reason=reason):
        raise ActionRefused(
            f"This {action.get_kind_display().lower()} is already "
            f"{action.get_state_display().lower()}; it can no longer be cancelled."
        )


@transaction.atomic
def do_undo_comment_action(
    comment: Comment, verb: str, *, actor: User, action_id: int | None = None
) -> str:
    """Undo ``verb`` (the officer's last action on ``comment``); returns what was done.

    ``action_id`` is the outbox row the action wrote, if any. Raises ActionRefused, naming the
    reason, when the platform cannot take the action back or someone has since moved the item on.
    """
    if verb not in UNDOABLE_VERBS:
        raise ActionRefused("That action cannot be undone here.")
    comment = _lock(comment)
    closes_item = verb in CLOSING_VERBS
    if closes_item and comment.status != Comment.Status.DONE:
        raise ActionRefused("This item has moved on since (it is open again), so nothing to undo.")
    if closes_item and comment.handled_by_id not in (None, actor.pk):
        raise ActionRefused(f"{comment.handled_by} has handled this item since; nothing undone.")
    outbox = (
        ModerationAction.objects.select_for_update().filter(pk=action_id, comment=comment).first()
        if action_id
        else None
    )
    caps = capabilities_for(comment.channel)
    platform = comment.channel.get_platform_display()
    before = {"status": comment.status, "visibility": comment.visibility}
    cancelled = outbox is not None and cancel_unsent_action(
        outbox, actor=actor, reason=f"undo {verb}"
    )
    compensating: ModerationAction | None = None
    if verb == "remove" and not cancelled:
        raise ActionRefused(
            f"The removal has already reached {platform}; a removed comment cannot be "
            "restored through its API."
        )
    if verb == "reply" and not cancelled:
        raise ActionRefused(
            f"The reply has already been posted on {platform}; delete it there if it must go."
        )
    if verb == "hide" and not cancelled:
        if not caps.unhide:
            raise ActionRefused(f"{platform} cannot unhide: {caps.notes.get('unhide', '')}")
        compensating = queue_platform_action(comment, ModerationAction.Kind.UNHIDE, actor=actor)
    if verb == "block" and not cancelled:
        if not caps.unblock:
            raise ActionRefused(f"{platform} cannot unblock: {caps.notes.get('unblock', '')}")
        compensating = queue_platform_action(
            comment, ModerationAction.Kind.UNBLOCK, actor=actor, author=comment.author
        )
    if verb == "approve":
        # Approving a held comment queued an unhide; if it has not gone, it is withdrawn.
        for unhide in comment.actions.filter(
            kind=ModerationAction.Kind.UNHIDE, state=ModerationAction.State.PENDING
        ):
            cancel_unsent_action(unhide, actor=actor, reason="undo approve")
    if (
        verb in ("hide", "remove")
        and comment.flags.filter(shadow=False).exclude(outcome="none").exists()
    ):
        # Hiding and removing a flagged comment gave its author a strike; undoing takes it back.
        take_back_strike(comment, because=f"{verb} undone by {actor.label}")
    reopens = closes_item or (
        verb == "reply"
        and comment.status == Comment.Status.DONE
        and comment.handled_by_id == actor.pk
    )
    if reopens:
        _reopen(
            comment,
            restore_flags=verb in ("approve", "ignore"),
            unhiding=compensating is not None and verb == "hide",
        )
    record(
        "moderation.comment.action_undone",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after={"status": comment.status, "visibility": comment.visibility},
        data={
            "verb": verb,
            "cancelled_action_id": outbox.pk if cancelled and outbox else None,
            "compensating_action_id": compensating.pk if compensating else None,
        },
    )
    if cancelled:
        return f"Undone: the {verb} had not been sent yet, so it was withdrawn."
    if compensating is not None:
        opposite = "unhide" if verb == "hide" else "unblock"
        return f"Undone: an {opposite} has been sent to {platform}."
    return "Undone: the item is back in the queue."
