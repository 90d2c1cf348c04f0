"""Giving an item to one officer to see through, without escalating it.

An assigned item stays in its tab (to review, held or escalated) and also appears in the
officer's "Mine" tab; "next" from any other tab leaves it for them. Assignment is ownership for
the day, not a lock: a claim (``claims``) still decides who is acting on it this minute.
"""

from __future__ import annotations

from django.db import transaction

from accounts.audit import Actor, record
from accounts.models import User
from accounts.roles import user_can
from moderation.actions.comments import ActionRefused
from moderation.models import Comment

ASSIGNABLE_STATUSES = (Comment.Status.REVIEW, Comment.Status.HELD, Comment.Status.ESCALATED)


@transaction.atomic
def do_assign_comment(comment: Comment, assignee: User | None, *, actor: Actor) -> Comment:
    """Give the item to ``assignee`` (None: back to everyone). Nothing is recorded if unchanged."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("assigned_to")
        .get(pk=comment.pk)
    )
    if comment.status not in ASSIGNABLE_STATUSES:
        raise ActionRefused("This item is not open: reopen it before giving it to someone.")
    if assignee is not None and not user_can(assignee, "work_queue"):
        raise ActionRefused(f"{assignee} cannot work the queue, so cannot be given items.")
    before = comment.assigned_to
    if (before.pk if before else None) == (assignee.pk if assignee else None):
        return comment
    comment.assigned_to = assignee
    comment.save(update_fields=["assigned_to"])
    record(
        "moderation.comment.assigned" if assignee else "moderation.comment.unassigned",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before={"assigned_to": before.label if before else None},
        after={"assigned_to": assignee.label if assignee else None},
    )
    return comment
