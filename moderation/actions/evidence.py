"""Evidence for police, complaints or legal: legal holds, evidence packs, and reports made to a
platform by hand.

A legal hold keeps a comment (or everything about an author) from retention and from erasure on
request while it is in place (UK GDPR Art. 17(3)(e): data needed for legal claims). Placing and
lifting a hold are audited with their reasons; lifting one needs a manager. Taking an evidence
pack exports personal data, so it is audited like a subject access export.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from accounts.roles import user_can
from moderation.actions.comments import ActionRefused
from moderation.models import Author, Comment, LegalHold, ModerationAction
from moderation.platforms import capabilities_for

MAX_REASON = 300


def holds_in_place() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def held_comment_ids() -> QuerySet[Comment, Any]:
    """Comments under a hold, directly or through their author (for retention and erasure)."""
    holds = holds_in_place()
    return Comment.objects.filter(
        Q(pk__in=holds.filter(comment__isnull=False).values("comment_id"))
        | Q(author_id__in=holds.filter(author__isnull=False).values("author_id"))
    ).values("pk")


def _reason(reason: str) -> str:
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        raise ActionRefused("Give the reason (e.g. the police reference or the claim).")
    return reason


@transaction.atomic
def do_place_legal_hold(
    *, actor: Actor, reason: str, comment: Comment | None = None, author: Author | None = None
) -> LegalHold:
    if (comment is None) == (author is None):
        raise ValueError("A hold is on one comment or on one author.")
    reason = _reason(reason)
    existing = holds_in_place().filter(comment=comment) if comment else None
    if author is not None:
        existing = holds_in_place().filter(author=author)
    if existing is not None and existing.exists():
        raise ActionRefused("A legal hold is already in place.")
    hold = LegalHold.objects.create(
        comment=comment,
        author=author,
        reason=reason,
        placed_by_label=actor.label,
        placed_at=timezone.now(),
    )
    record(
        "moderation.legal_hold.placed",
        actor=actor,
        target=hold,
        channel_id=comment.channel_id if comment else None,
        data={
            "comment_id": comment.pk if comment else None,
            "author_id": author.pk if author else None,
            "reason": reason,
        },
    )
    return hold


@transaction.atomic
def do_lift_legal_hold(hold: LegalHold, *, actor: Actor, reason: str) -> LegalHold:
    if isinstance(actor, User) and not user_can(actor, "view_reports"):
        raise ActionRefused("Only a manager can lift a legal hold.")
    reason = _reason(reason)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ActionRefused("This hold has already been lifted.")
    hold.lifted_at = timezone.now()
    hold.lifted_by_label = actor.label
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_at", "lifted_by_label", "lift_reason"])
    record(
        "moderation.legal_hold.lifted",
        actor=actor,
        target=hold,
        before={"in_place": True},
        after={"in_place": False},
        data={"comment_id": hold.comment_id, "author_id": hold.author_id, "reason": reason},
    )
    return hold


@transaction.atomic
def do_record_evidence_export(
    comment: Comment, *, actor: Actor, export_format: str, purpose: str
) -> None:
    """Who took an evidence pack of which comment, in which format and for what."""
    if not isinstance(actor, User) or not user_can(actor, "reveal_personal_data"):
        raise ActionRefused("Your role cannot export evidence: it holds unmasked personal data.")
    record(
        "moderation.comment.evidence_exported",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        data={"format": export_format, "purpose": _reason(purpose)},
    )


@transaction.atomic
def do_record_platform_report(comment: Comment, *, actor: Actor, reason: str) -> ModerationAction:
    """The officer reported the comment on the platform's own reporting page (its API has no
    way to): kept as a finished outbox row, marked as done by hand, so it shows with the item's
    platform actions. Where the API can report, the console's own Report button must be used.

    Not through ``queue_platform_actions``: that path is for rows a worker is still to send (it
    records them as queued and enqueues the send), and this report was already made by hand."""
    reason = _reason(reason)
    comment = Comment.objects.select_for_update().select_related("channel").get(pk=comment.pk)
    if capabilities_for(comment.channel).allows("report"):
        raise ActionRefused("This platform takes reports from the console: use Report instead.")
    now = timezone.now()
    action = ModerationAction.objects.create(
        channel=comment.channel,
        comment=comment,
        author=comment.author,
        kind=ModerationAction.Kind.REPORT,
        text=reason,
        state=ModerationAction.State.SUCCEEDED,
        actor=actor if isinstance(actor, User) else None,
        actor_label=actor.label,
        platform_response={"reported_by_hand": True},
        requested_at=now,
        completed_at=now,
        attempts=0,
    )
    record(
        "moderation.comment.reported_by_hand",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        data={"action_id": action.pk, "reason": reason},
    )
    return action
