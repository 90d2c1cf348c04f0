"""After a removal: the notice on the thread, and the author's appeal against it.

The Suffolk Fire and Rescue Service appendix (5.3) asks that "the reason for the post deletion
will need explaining to the poster on the affected thread" and that the poster is told they may
re-post without the offending part. The notice goes on the thread (under the removed comment's
parent, else on the post), never under the removed comment, which disappears with it.

An appeal is recorded by an officer (it arrives by email or private message) and decided by a
manager. Upholding it reinstates the comment where the platform can (unhide, or approve what the
platform held); where it cannot (a removal is permanent on every platform) the decision says so.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from accounts.roles import user_can
from moderation.actions.comments import ActionRefused, reply_needs_approval
from moderation.actions.outbox import queue_platform_action
from moderation.actions.strikes import take_back_strike
from moderation.models import Appeal, Comment, ModerationAction, Organisation
from moderation.platforms import capabilities_for
from moderation.send_check import check_for

MAX_NOTICE_LENGTH = 2_000
MAX_APPEAL_TEXT = 5_000
# A comment is "taken down" once one of these has been asked of the platform (and not failed).
TAKE_DOWN_KINDS = ("hide", "remove", "reject")
LIVE_STATES = ("pending", "sending", "succeeded")
# A notice is also "on its way" while it waits for a manager's approval.
NOTICE_LIVE_STATES = ("awaiting", *LIVE_STATES)


def is_taken_down(comment: Comment) -> bool:
    return comment.visibility != Comment.Visibility.VISIBLE or (
        comment.actions.filter(kind__in=TAKE_DOWN_KINDS, state__in=LIVE_STATES).exists()
    )


@transaction.atomic
def do_post_removal_notice(comment: Comment, text: str, *, actor: Actor) -> ModerationAction:
    """Queue the removal notice for the thread the comment was in.

    The notice is the council speaking in public with an officer's words, like a reply: it is
    held for a manager where a reply to this comment would be (``reply_needs_approval``), and
    refused when its own words are what the policy forbids outright (``check_for`` as a post:
    party politics in the pre-election period)."""
    text = text.strip()
    if not text:
        raise ActionRefused("The notice needs some text.")
    if len(text) > MAX_NOTICE_LENGTH:
        raise ActionRefused(f"A notice can be at most {MAX_NOTICE_LENGTH} characters.")
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("channel", "post")
        .get(pk=comment.pk)
    )
    if comment.private:
        raise ActionRefused("A private message is never removed, so it needs no public notice.")
    if not is_taken_down(comment):
        raise ActionRefused("Hide or remove the comment first: the notice says it was removed.")
    caps = capabilities_for(comment.channel)
    if not caps.allows("notice"):
        why = caps.notes.get("notice") or caps.notes.get("all") or "the platform does not allow it"
        raise ActionRefused(f"{comment.channel.get_platform_display()} cannot take it: {why}")
    if comment.post is None:
        raise ActionRefused("The post this comment was under is unknown: post the notice by hand.")
    if comment.actions.filter(
        kind=ModerationAction.Kind.NOTICE, state__in=NOTICE_LIVE_STATES
    ).exists():
        raise ActionRefused("A removal notice for this comment is already posted or on its way.")
    organisation = Organisation.current()
    check = check_for(text, organisation)
    if check.blocked:
        raise ActionRefused(" ".join(f.message for f in check.findings if f.blocks))
    needs_approval = reply_needs_approval(comment, actor, organisation)
    action = queue_platform_action(
        comment,
        ModerationAction.Kind.NOTICE,
        actor=actor,
        text=text,
        awaiting_approval=needs_approval,
    )
    record(
        "moderation.comment.removal_notice_queued",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        # The notice's words name the author: only its length goes in the audit log.
        data={
            "action_id": action.pk,
            "length": len(text),
            "on": caps.notes.get("notice", ""),
            "awaiting_approval": needs_approval,
        },
    )
    return action


@transaction.atomic
def do_record_appeal(comment: Comment, *, actor: Actor, received_via: str, summary: str) -> Appeal:
    """An officer records an author's appeal, received outside the platform."""
    received_via = received_via.strip()[:120]
    summary = summary.strip()[:MAX_APPEAL_TEXT]
    if not received_via or not summary:
        raise ActionRefused("Say how the appeal arrived and what the author says.")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.appeals.filter(state=Appeal.State.OPEN).exists():
        raise ActionRefused("An appeal on this comment is already waiting for a manager.")
    appeal = Appeal.objects.create(
        comment=comment,
        received_via=received_via,
        summary=summary,
        recorded_by_label=actor.label,
        recorded_at=timezone.now(),
    )
    record(
        "moderation.appeal.recorded",
        actor=actor,
        target=appeal,
        target_repr=f"appeal {appeal.pk} on comment {comment.pk}",
        channel_id=comment.channel_id,
        data={"comment_id": comment.pk, "received_via": received_via},
    )
    return appeal


def _reinstate(comment: Comment, actor: Actor) -> tuple[str, int | None]:
    """Queue what makes the comment visible again; (the appeal's new state, outbox row id)."""
    caps = capabilities_for(comment.channel)
    # Deleting and rejecting are permanent on every platform that has them.
    removed = (
        comment.visibility == Comment.Visibility.REMOVED
        or comment.actions.filter(kind__in=("remove", "reject"), state__in=LIVE_STATES).exists()
    )
    if removed:
        return Appeal.State.UPHELD_NOT_RESTORABLE, None
    if comment.platform_status and caps.allows("approve"):
        return Appeal.State.REINSTATED, queue_platform_action(comment, "approve", actor=actor).pk
    hidden = (
        comment.visibility == Comment.Visibility.HIDDEN
        or comment.actions.filter(kind="hide", state__in=LIVE_STATES).exists()
    )
    if hidden and caps.allows("unhide"):
        return Appeal.State.REINSTATED, queue_platform_action(comment, "unhide", actor=actor).pk
    if hidden:
        return Appeal.State.UPHELD_NOT_RESTORABLE, None
    return Appeal.State.REINSTATED, None  # never taken down: nothing to restore


@transaction.atomic
def do_decide_appeal(appeal: Appeal, *, actor: Actor, uphold: bool, note: str = "") -> Appeal:
    """A manager decides. Upheld: the comment is reinstated where the platform allows, its flags
    are marked reversed and its strike taken back; refused: the decision stands."""
    if not isinstance(actor, User) or not user_can(actor, "view_reports"):
        raise ActionRefused("Only a manager can decide an appeal.")
    appeal = Appeal.objects.select_for_update().select_related("comment").get(pk=appeal.pk)
    if appeal.state != Appeal.State.OPEN:
        raise ActionRefused("This appeal has already been decided.")
    comment = (
        Comment.objects.select_for_update()
        .select_related("channel", "author")
        .get(pk=appeal.comment_id)
    )
    action_id = None
    if uphold:
        state, action_id = _reinstate(comment, actor)
        reversed_flags = comment.flags.filter(shadow=False, reversed=False).exclude(outcome="none")
        if reversed_flags.update(reversed=True):
            take_back_strike(comment, because=f"appeal upheld by {actor.label}")
    else:
        state = Appeal.State.REFUSED
    appeal.state = state
    appeal.decided_by_label = actor.label
    appeal.decided_at = timezone.now()
    appeal.decision_note = note.strip()[:MAX_APPEAL_TEXT]
    appeal.save(update_fields=["state", "decided_by_label", "decided_at", "decision_note"])
    record(
        "moderation.appeal.decided",
        actor=actor,
        target=appeal,
        target_repr=f"appeal {appeal.pk} on comment {comment.pk}",
        channel_id=comment.channel_id,
        before={"state": Appeal.State.OPEN},
        after={"state": state, "action_id": action_id},
        data={"comment_id": comment.pk, "upheld": uphold},
    )
    return appeal
