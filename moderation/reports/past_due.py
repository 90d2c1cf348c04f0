"""The items past due when the report is made: a snapshot, not limited to the period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min

from moderation import deadlines
from moderation.models import Comment


@dataclass(frozen=True)
class PastDue:
    """Items past due at ``as_at`` (``moderation.deadlines.past_due``): a snapshot, not limited
    to the period. An escalated item is past due when its escalation's deadline has passed."""

    as_at: dt.datetime
    total: int
    by_status: dict[str, int]
    by_channel: dict[int, int]
    oldest_due_at: dt.datetime | None

    @property
    def escalated(self) -> int:
        """Past their escalation's deadline."""
        return self.by_status.get(Comment.Status.ESCALATED, 0)

    @property
    def awaiting_first_action(self) -> int:
        return self.total - self.escalated


def past_due(channel_id: int | None, now: dt.datetime) -> PastDue:
    items = Comment.objects.filter(deadlines.past_due(now))
    if channel_id is not None:
        items = items.filter(channel_id=channel_id)
    by_status: dict[str, int] = defaultdict(int)
    by_channel: dict[int, int] = defaultdict(int)
    oldest: dt.datetime | None = None
    for row in (
        items.values("channel_id", "status")
        .annotate(n=Count("id"), oldest=Min("due_at"))
        .order_by()
    ):
        by_status[row["status"]] += row["n"]
        by_channel[row["channel_id"]] += row["n"]
        oldest = row["oldest"] if oldest is None else min(oldest, row["oldest"])
    return PastDue(now, sum(by_status.values()), dict(by_status), dict(by_channel), oldest)
