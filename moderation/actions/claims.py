"""Claims: which officer is working on which item, so that two never work on the same one.

"Next" hands an officer the top unclaimed item of the queue and claims it in one transaction.
On PostgreSQL the candidate row is taken with ``SELECT … FOR UPDATE SKIP LOCKED``, so officers
pressing "next" at the same moment each get a different row without waiting for each other; the
claim itself is a conditional UPDATE (only if still unclaimed), which also makes SQLite, which
has no row locks, hand out each item once. Claims lapse after ``settings.CLAIM_MINUTES``; an
officer holds one item at a time, and taking the next releases the last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit import record
from accounts.models import User
from accounts.roles import user_can
from moderation.actions.comments import ActionRefused
from moderation.at_risk import AT_RISK_PRIORITY
from moderation.models import Comment

# What "next" hands out when the officer has not picked a tab: items waiting for a judgement.
NEXT_STATUSES: tuple[str, ...] = (Comment.Status.REVIEW, Comment.Status.HELD)
CLAIMABLE_STATUSES: tuple[str, ...] = (
    Comment.Status.REVIEW,
    Comment.Status.HELD,
    Comment.Status.ESCALATED,
)
# The queue's order (and the comment_queue_order index's): worst first, earliest due, oldest.
QUEUE_ORDER = (F("priority").desc(), F("due_at").asc(nulls_last=True), F("id").asc())
MAX_CLAIM_ATTEMPTS = 20


def claim_until(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(minutes=settings.CLAIM_MINUTES)


def free_for(actor: User, now: dt.datetime) -> Q:
    """Rows nobody else holds: unclaimed, claim lapsed, or already the actor's own."""
    return Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=actor)


def queue_position(comment: Comment) -> tuple[int, int, dt.datetime, int]:
    """The queue's order as a sort key: worst first, then earliest due (none last), then id."""
    no_due = comment.due_at is None
    due = comment.due_at or dt.datetime.max.replace(tzinfo=dt.UTC)
    return (-comment.priority, int(no_due), due, comment.pk)


def assigned_to_nobody_else(actor: User) -> Q:
    return Q(assigned_to__isnull=True) | Q(assigned_to=actor)


def holder_of(comment: Comment, now: dt.datetime | None = None) -> User | None:
    """Who holds a live claim on the comment (None when nobody does, or the claim lapsed)."""
    now = now or timezone.now()
    if comment.claimed_by_id is None or comment.claimed_until is None:
        return None
    if comment.claimed_until < now:
        return None
    return comment.claimed_by


def refuse_if_claimed_by_other(comment: Comment, actor: User) -> None:
    """Raise ActionRefused when another officer holds the item: "never two on the same item"."""
    holder = holder_of(comment)
    if holder is not None and holder.pk != actor.pk:
        until = timezone.localtime(comment.claimed_until).strftime("%H:%M")
        raise ActionRefused(
            f"{holder} is working on this item (claimed until {until}). "
            "Pick another, or ask them to release it."
        )


@transaction.atomic
def do_claim_next_comment(
    *,
    actor: User,
    statuses: Collection[str] = NEXT_STATUSES,
    scope: Q | None = None,
    skip_ids: Collection[int] = (),
    mine_only: bool = False,
) -> Comment | None:
    """Claim the worst open item nobody else holds; None when there is none.

    ``scope`` narrows the queue (the officer's filters); ``skip_ids`` leaves out items the
    officer just passed over. Items assigned to another officer are theirs and never handed
    out; ``mine_only`` hands out only the actor's own. Any other item the officer held is
    released.
    """
    now = timezone.now()
    until = claim_until(now)
    skipped = set(skip_ids)
    claimed_id: int | None = None
    searches = [(status, False) for status in statuses]
    if not mine_only:
        searches += [(s, True) for s in CLAIMABLE_STATUSES if s not in statuses or scope]
    claimable = [status for status, _ in searches]
    for _ in range(MAX_CLAIM_ATTEMPTS):
        # One status at a time: the comment_queue_order index is (status, priority, due, id),
        # so each is an ordered index scan that stops at its first free row. A single query
        # over several statuses would read and sort every open row of them (50,000 at a
        # million comments) before its LIMIT 1. The worst of the heads wins; at-risk items (a
        # priority no other item reaches) are looked for in every open status.
        heads = []
        for status, at_risk_only in searches:
            candidates = (
                Comment.objects.filter(status=status)
                .filter(free_for(actor, now))
                .filter(Q(assigned_to=actor) if mine_only else assigned_to_nobody_else(actor))
                .exclude(pk__in=skipped)
            )
            if at_risk_only:
                # Someone may be at risk: handed out first whatever the tab or filters.
                candidates = candidates.filter(priority__gte=AT_RISK_PRIORITY)
            elif scope is not None:
                candidates = candidates.filter(scope)
            head = (
                candidates.select_for_update(skip_locked=True, of=("self",))
                .order_by(*QUEUE_ORDER)
                .only("pk", "priority", "due_at")
                .first()
            )
            if head is not None:
                heads.append(head)
        if not heads:
            break
        candidate = min(heads, key=queue_position)
        # The conditional update is the real guard: it claims only a row that is still free.
        won = (
            Comment.objects.filter(pk=candidate.pk, status__in=claimable)
            .filter(free_for(actor, now))
            .update(claimed_by=actor, claimed_until=until)
        )
        if won:
            claimed_id = candidate.pk
            break
        skipped.add(candidate.pk)
    released = _release_others(actor, keep=claimed_id)
    if claimed_id is None:
        if released:
            record(
                "moderation.comment.released",
                actor=actor,
                data={"comment_ids": released, "reason": "asked for the next item; none left"},
            )
        return None
    comment = Comment.objects.select_related("channel", "author").get(pk=claimed_id)
    record(
        "moderation.comment.claimed",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        after={"claimed_until": until},
        data={"released": released, "how": "next"},
    )
    return comment


def _release_others(actor: User, keep: int | None) -> list[int]:
    held = Comment.objects.filter(claimed_by=actor)
    if keep is not None:
        held = held.exclude(pk=keep)
    ids = list(held.values_list("pk", flat=True)[:100])
    if ids:
        Comment.objects.filter(pk__in=ids, claimed_by=actor).update(
            claimed_by=None, claimed_until=None
        )
    return ids


@transaction.atomic
def do_claim_comment(comment: Comment, *, actor: User) -> Comment:
    """Claim one chosen item (opened from the list), unless someone else holds it."""
    now = timezone.now()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status not in CLAIMABLE_STATUSES:
        raise ActionRefused("This item is not open, so there is nothing to claim.")
    refuse_if_claimed_by_other(comment, actor)
    until = claim_until(now)
    Comment.objects.filter(pk=comment.pk).update(claimed_by=actor, claimed_until=until)
    released = _release_others(actor, keep=comment.pk)
    comment.claimed_by, comment.claimed_until = actor, until
    record(
        "moderation.comment.claimed",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        after={"claimed_until": until},
        data={"released": released, "how": "chosen"},
    )
    return comment


@transaction.atomic
def do_release_comment(comment: Comment, *, actor: User) -> None:
    """Give an item back to the queue. Its holder may; so may a manager (someone went home)."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("claimed_by")
        .get(pk=comment.pk)
    )
    holder = holder_of(comment)
    if holder is None:
        raise ActionRefused("Nobody holds this item.")
    if holder.pk != actor.pk and not user_can(actor, "view_reports"):
        raise ActionRefused(f"{holder} holds this item; only they or a manager can release it.")
    Comment.objects.filter(pk=comment.pk).update(claimed_by=None, claimed_until=None)
    record(
        "moderation.comment.released",
        actor=actor,
        target=comment,
        channel_id=comment.channel_id,
        before={"claimed_by": holder.label},
        after={"claimed_by": None},
    )
