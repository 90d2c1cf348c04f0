"""What officers do to comments and authors. Each function is one audited change of state.

Platform effects go through the outbox (``queue_platform_action``); an action the channel's
platform does not allow is refused here, before anything is written.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from accounts.roles import user_can
from moderation.actions.notifications import queue_escalation_notices
from moderation.actions.outbox import queue_platform_action
from moderation.actions.strikes import GivenStrike, give_strikes
from moderation.deadlines import escalation_deadline, open_escalations_due_at, posted_at
from moderation.models import (
    Author,
    Comment,
    Escalation,
    EscalationRoute,
    ModerationAction,
    Note,
    Organisation,
)
from moderation.platforms import capabilities_for
from moderation.send_check import SendCheck, check_for

ACTIONABLE = (
    Comment.Status.NEW,
    Comment.Status.CLEAN,
    Comment.Status.REVIEW,
    Comment.Status.HELD,
    Comment.Status.ESCALATED,
)
MAX_REPLY_LENGTH = 8_000


class ActionRefused(Exception):
    """The action cannot be done: the platform does not allow it, or the item has moved on."""


class ReplyNeedsConfirmation(ActionRefused):
    """The reply breaches the policy: blocked outright, or sent only if the officer confirms."""

    def __init__(self, check: SendCheck) -> None:
        self.check = check
        if check.blocked:
            message = " ".join(f.message for f in check.findings if f.blocks)
        else:
            message = "Check the reply first: " + " ".join(f.message for f in check.warnings)
        super().__init__(message)


def _lock(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update().select_related("channel", "author").get(pk=comment.pk)
    )


def _require_open(comment: Comment, actor: Actor) -> None:
    if comment.status not in ACTIONABLE:
        who = comment.handled_by.label if comment.handled_by else "an automatic rule"
        when = (
            timezone.localtime(comment.handled_at).strftime("%H:%M") if comment.handled_at else ""
        )
        raise ActionRefused(
            f"Already handled by {who} {('at ' + when) if when else ''}".strip() + "."
        )


def _require_platform(comment: Comment, kind: str) -> None:
    if comment.private and kind != "reply":
        raise ActionRefused(
            "This is a private message: it can only be answered privately, never hidden, "
            "removed or otherwise acted on in public."
        )
    caps = capabilities_for(comment.channel)
    if not caps.allows(kind):
        reason = caps.notes.get(kind) or caps.notes.get("all") or "the platform does not allow it"
        # A block is of the person, not of their comment.
        what = "this author" if kind == "block" else "this comment"
        raise ActionRefused(
            f"{comment.channel.get_platform_display()} cannot {kind} {what}: {reason}"
        )


def reply_needs_approval(comment: Comment, actor: Actor, org: Organisation) -> bool:
    """Whether a reply must wait for a manager: its channel or one of the comment's categories
    was chosen by an admin, and the person replying is not an approver themselves."""
    if isinstance(actor, User) and user_can(actor, "approve_replies"):
        return False
    if comment.channel.replies_need_approval:
        return True
    return bool(set(org.reply_approval_categories or []) & set(comment.categories or []))


def _snapshot(comment: Comment) -> dict[str, object]:
    return {"status": comment.status, "visibility": comment.visibility}


def _finish(comment: Comment, actor: Actor, status: str = Comment.Status.DONE) -> None:
    now = timezone.now()
    comment.status = status
    if isinstance(actor, User):
        comment.handled_by = actor
        if comment.first_action_at is None:
            comment.first_action_at = now
    comment.handled_at = now
    comment.claimed_by = None
    comment.claimed_until = None
    comment.save(
        update_fields=[
            "status",
            "handled_by",
            "handled_at",
            "first_action_at",
            "claimed_by",
            "claimed_until",
        ]
    )


def _add_strike(comment: Comment, action: ModerationAction, actor: Actor) -> None:
    # Only a comment the rules flagged counts against its author.
    if comment.flags.filter(shadow=False).exclude(outcome="none").exists():
        give_strikes([GivenStrike(comment, action.kind, actor.label, action)])


def _platform_action(
    comment: Comment, kind: str, event: str, *, actor: Actor, text: str = "", close: bool = True
) -> ModerationAction:
    comment = _lock(comment)
    if close:
        _require_open(comment, actor)
    _require_platform(comment, kind)
    before = _snapshot(comment)
    action = queue_platform_action(comment, kind, actor=actor, text=text)
    if close:
        _finish(comment, actor)
    record(
        event,
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after={**_snapshot(comment), "action_id": action.pk},
    )
    return action


@transaction.atomic
def do_hide_comment(comment: Comment, *, actor: Actor) -> ModerationAction:
    action = _platform_action(comment, "hide", "moderation.comment.hidden", actor=actor)
    _add_strike(action.comment or comment, action, actor)
    return action


@transaction.atomic
def do_remove_comment(comment: Comment, *, actor: Actor) -> ModerationAction:
    action = _platform_action(comment, "remove", "moderation.comment.removed", actor=actor)
    _add_strike(action.comment or comment, action, actor)
    return action


@transaction.atomic
def do_unhide_comment(comment: Comment, *, actor: Actor) -> ModerationAction:
    """Make a hidden comment visible again (also how an officer undoes a hide)."""
    action = _platform_action(
        comment, "unhide", "moderation.comment.unhidden", actor=actor, close=False
    )
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.DONE)
    comment.flags.filter(outcome__in=["hold", "auto_hide"]).update(reversed=True)
    return action


@transaction.atomic
def do_reply_to_comment(
    comment: Comment,
    text: str,
    *,
    actor: Actor,
    template_key: str = "",
    send_anyway: bool = False,
) -> ModerationAction:
    """Reply, after checking the reply against the policy (``moderation.send_check``): what the
    policy forbids outright is refused; a warning needs ``send_anyway``, which is audited. Held
    for a manager's approval where an admin asked (``approval``)."""
    text = text.strip()
    if not text:
        raise ActionRefused("A reply needs some text.")
    if len(text) > MAX_REPLY_LENGTH:
        raise ActionRefused(f"A reply can be at most {MAX_REPLY_LENGTH} characters.")
    comment = _lock(comment)
    _require_platform(comment, "reply")
    check = check_for(text, Organisation.current(), comment)
    if check.blocked or (check.warnings and not send_anyway):
        raise ReplyNeedsConfirmation(check)
    before = _snapshot(comment)
    needs_approval = reply_needs_approval(comment, actor, Organisation.current())
    action = queue_platform_action(
        comment, "reply", actor=actor, text=text, awaiting_approval=needs_approval
    )
    if comment.status in ACTIONABLE and comment.status not in (Comment.Status.ESCALATED,):
        _finish(comment, actor)
    record(
        "moderation.comment.replied",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after={**_snapshot(comment), "action_id": action.pk},
        data={
            "template": template_key,
            "length": len(text),
            "checks": check.codes(),
            "sent_anyway": bool(check.warnings),
            "awaiting_approval": needs_approval,
        },
    )
    return action


@transaction.atomic
def do_block_author(comment: Comment, *, actor: Actor) -> ModerationAction:
    comment = _lock(comment)
    _require_platform(comment, "block")
    action = queue_platform_action(comment, "block", actor=actor, author=comment.author)
    record(
        "moderation.author.block_requested",
        actor=actor,
        target=comment.author,
        target_repr=f"author {comment.author_id} on {comment.channel.platform}",
        channel_id=comment.channel_id,
        data={"strikes": comment.author.strikes, "comment_id": comment.pk, "action_id": action.pk},
    )
    return action


@transaction.atomic
def do_reject_comment(comment: Comment, *, actor: Actor) -> ModerationAction:
    """Reject a comment the platform held for review (YouTube: permanent)."""
    action = _platform_action(comment, "reject", "moderation.comment.rejected", actor=actor)
    _add_strike(action.comment or comment, action, actor)
    return action


@transaction.atomic
def do_detach_quote(comment: Comment, *, actor: Actor) -> ModerationAction:
    """Detach a quote from the council's post (Bluesky postgate); the quote itself stays."""
    return _platform_action(
        comment, "detach_quote", "moderation.comment.quote_detached", actor=actor
    )


@transaction.atomic
def do_report_comment(comment: Comment, *, actor: Actor, reason: str = "") -> ModerationAction:
    """Report the comment to the platform's (or the instance's) moderators."""
    reason = reason.strip()[:1000] or "Breaches our social media policy."
    return _platform_action(
        comment, "report", "moderation.comment.reported", actor=actor, text=reason, close=False
    )


@transaction.atomic
def do_mute_author(comment: Comment, *, actor: Actor) -> ModerationAction:
    comment = _lock(comment)
    _require_platform(comment, "mute")
    action = queue_platform_action(comment, "mute", actor=actor, author=comment.author)
    record(
        "moderation.author.mute_requested",
        actor=actor,
        target=comment.author,
        target_repr=f"author {comment.author_id} on {comment.channel.platform}",
        channel_id=comment.channel_id,
        data={"comment_id": comment.pk, "action_id": action.pk},
    )
    return action


@transaction.atomic
def do_approve_comment(comment: Comment, *, actor: Actor) -> None:
    """Keep the comment: it does not breach the policy. A held comment is made visible again."""
    comment = _lock(comment)
    _require_open(comment, actor)
    before = _snapshot(comment)
    hidden_or_hiding = (
        comment.visibility == Comment.Visibility.HIDDEN
        or comment.actions.filter(
            kind="hide", state__in=["pending", "sending", "succeeded"]
        ).exists()
    )
    caps = capabilities_for(comment.channel)
    if comment.platform_status and caps.approve:
        # Held by the platform itself (YouTube): approving publishes it there.
        queue_platform_action(comment, "approve", actor=actor)
    elif hidden_or_hiding and caps.unhide and not comment.private:
        queue_platform_action(comment, "unhide", actor=actor)
    comment.flags.filter(shadow=False).exclude(outcome="none").update(reversed=True)
    _finish(comment, actor)
    record(
        "moderation.comment.approved",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after=_snapshot(comment),
    )


@transaction.atomic
def do_ignore_comment(comment: Comment, *, actor: Actor) -> None:
    """Close the item with no judgement and no platform call (the policy's "ignore")."""
    comment = _lock(comment)
    _require_open(comment, actor)
    before = _snapshot(comment)
    _finish(comment, actor)
    # Ignoring a flagged item says the flags were wrong: it counts as a reversal.
    comment.flags.filter(shadow=False).exclude(outcome="none").update(reversed=True)
    record(
        "moderation.comment.ignored",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after=_snapshot(comment),
    )


@transaction.atomic
def do_escalate_comment(
    comment: Comment,
    route: EscalationRoute,
    *,
    actor: Actor,
    note: str = "",
    assignee: User | None = None,
    deadline_at: dt.datetime | None = None,
) -> Escalation:
    comment = _lock(comment)
    # A second open escalation to one route would notify the same team twice, with two clocks.
    already = comment.escalations.filter(route=route, state=Escalation.State.OPEN).first()
    if already is not None:
        due = timezone.localtime(already.deadline_at)
        raise ActionRefused(
            f"this comment is already escalated to {route} (open, due {due:%a %d %b %Y %H:%M}); "
            "add a note to the item instead, or choose another route."
        )
    before = _snapshot(comment)
    now = timezone.now()
    escalation = Escalation.objects.create(
        comment=comment,
        route=route,
        assignee=assignee,
        note=note[:5000],
        deadline_at=deadline_at
        or escalation_deadline(
            route, comment.channel, posted_at=posted_at(comment), escalated_at=now
        ),
        created_by_label=actor.label,
        created_at=now,
    )
    queue_escalation_notices([escalation])
    comment.status = Comment.Status.ESCALATED
    comment.due_at = open_escalations_due_at(comment)
    if isinstance(actor, User) and comment.first_action_at is None:
        comment.first_action_at = now
    comment.save(update_fields=["status", "due_at", "first_action_at"])
    record(
        "moderation.comment.escalated",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before=before,
        after={
            **_snapshot(comment),
            "route": route.key,
            "deadline_at": escalation.deadline_at,
            "assignee": assignee.label if assignee else None,
        },
    )
    return escalation


@transaction.atomic
def do_close_escalation(escalation: Escalation, *, actor: Actor, note: str = "") -> None:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.state == Escalation.State.CLOSED:
        raise ActionRefused("This escalation is already closed.")
    escalation.state = Escalation.State.CLOSED
    escalation.closed_at = timezone.now()
    if note:
        escalation.note = f"{escalation.note}\n\nClosed: {note}".strip()[:5000]
    escalation.save(update_fields=["state", "closed_at", "note"])
    comment = escalation.comment
    due_at = open_escalations_due_at(comment)
    if due_at is None:
        _finish(comment, actor)
    elif due_at != comment.due_at:
        # Still escalated elsewhere: now due when the earliest open escalation is.
        comment.due_at = due_at
        comment.save(update_fields=["due_at"])
    record(
        "moderation.escalation.closed",
        actor=actor,
        target=escalation,
        channel_id=comment.channel_id,
        after={
            "state": escalation.state,
            "on_time": escalation.closed_at <= escalation.deadline_at,
        },
    )


@transaction.atomic
def do_add_note(
    *, text: str, actor: Actor, comment: Comment | None = None, author: Author | None = None
) -> Note:
    text = text.strip()
    if not text:
        raise ActionRefused("A note needs some text.")
    if comment is None and author is None:
        raise ValueError("A note belongs to a comment or an author.")
    note = Note.objects.create(
        comment=comment,
        author=author,
        text=text[:5000],
        written_by=actor if isinstance(actor, User) else None,
        written_by_label=actor.label,
    )
    record(
        "moderation.note.added",
        actor=actor,
        target=note,
        # Never the note's words: the audit log outlives retention, so it holds no personal data.
        target_repr=f"note {note.pk}",
        channel_id=comment.channel_id if comment else None,
        data={
            "comment_id": comment.pk if comment else None,
            "author_id": author.pk if author else None,
        },
    )
    return note


@transaction.atomic
def do_reveal_personal_data(comment: Comment, *, actor: Actor) -> None:
    """Show a comment's masked personal data to someone whose role allows it, on the record."""
    if not isinstance(actor, User) or not user_can(actor, "reveal_personal_data"):
        raise ActionRefused("Your role does not allow revealing personal data.")
    masked = comment.flags.filter(category="personal_data", shadow=False).count()
    record(
        "moderation.comment.personal_data_revealed",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        data={"personal_data_flags": masked},
    )
