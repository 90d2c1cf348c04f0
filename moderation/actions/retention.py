"""Retention: erasing comment text and personal data on a schedule, once comments are older than
the organisation's retention period (what erasing means: ``moderation.actions.erasure``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.erasure import ErasureCounts, erase_authors, erase_comments
from moderation.actions.evidence import held_comment_ids
from moderation.models import Comment, Escalation, Organisation, QuarantinedItem

RETENTION_BATCH = 2_000


def comments_due_for_retention(now: dt.datetime | None = None) -> Any:
    """Comments older than the retention period, not yet erased, with no open escalation and
    no legal hold (on the comment or its author)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=Organisation.current().retention_days)
    return (
        Comment.objects.filter(received_at__lt=cutoff, redacted_at__isnull=True)
        .exclude(escalations__state=Escalation.State.OPEN)
        .exclude(pk__in=held_comment_ids())
        .order_by("id")
    )


@transaction.atomic
def do_apply_retention(
    *, actor: Actor, now: dt.datetime | None = None, limit: int = RETENTION_BATCH
) -> ErasureCounts:
    """Erase one batch of comments past the retention period; one audit event with the counts.

    Comments with an open escalation are kept until it closes (a statutory clock is running).
    Run it until it returns zero comments (``do_apply_retention_until_done`` does).
    """
    now = now or timezone.now()
    retention_days = Organisation.current().retention_days
    cutoff = now - dt.timedelta(days=retention_days)
    ids = list(
        Comment.objects.select_for_update(skip_locked=True)
        .filter(pk__in=comments_due_for_retention(now).values("id")[:limit])
        .values_list("id", flat=True)
    )
    counts = erase_comments(ids, now)
    # Items quarantined as received are kept no longer than the comments they came with.
    counts.quarantined, _ = QuarantinedItem.objects.filter(created_at__lt=cutoff).delete()
    if ids or counts.quarantined:
        author_ids = set(
            Comment.objects.filter(pk__in=ids).values_list("author_id", flat=True).distinct()
        )
        counts.authors = erase_authors(author_ids)
        record(
            "moderation.retention.applied",
            actor=actor,
            data={
                "retention_days": retention_days,
                "cutoff": cutoff,
                **counts.as_dict(),
                "first_comment_id": ids[0] if ids else None,
                "last_comment_id": ids[-1] if ids else None,
            },
        )
    return counts


def do_apply_retention_until_done(*, actor: Actor, max_batches: int = 1_000) -> int:
    """Run retention batches until nothing is due; returns the number of comments erased.

    Each batch is its own transaction and audit event, so a long backlog never holds its locks
    for the whole run."""
    total = 0
    for _ in range(max_batches):
        counts = do_apply_retention(actor=actor)
        total += counts.comments
        if counts.comments == 0:
            break
    return total
