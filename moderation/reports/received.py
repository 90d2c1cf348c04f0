"""The report's comments received in the period, by day and by category."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from moderation.hours import LONDON
from moderation.reports.period import (
    CATEGORY_LABELS,
    ReportPeriod,
    acting_flags,
    comments_in,
    is_flagged,
    share,
)


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    received: int
    flagged: int
    by_category: dict[str, int]

    @property
    def flagged_share(self) -> float | None:
        return share(self.flagged, self.received)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    comments: int
    flagged_share: float | None  # of all flagged comments

    @property
    def label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)


def received_by_day(period: ReportPeriod) -> list[DayRow]:
    """Every day of the period (zeros included), with flagged comments per category."""
    totals = {
        row["day"]: row
        for row in comments_in(period)
        .annotate(day=TruncDate("received_at", tzinfo=LONDON), flagged=is_flagged())
        .values("day")
        .annotate(received=Count("id"), flagged_count=Count("id", filter=Q(flagged=True)))
        .order_by("day")
    }
    per_category: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in (
        acting_flags()
        .filter(comment__in=comments_in(period))
        .exclude(category="")  # a campaign signal is in no category
        .annotate(day=TruncDate("comment__received_at", tzinfo=LONDON))
        .values("day", "category")
        .annotate(comments=Count("comment", distinct=True))
        .order_by()
    ):
        per_category[row["day"]][row["category"]] = row["comments"]
    rows = []
    for day in period.days:
        found: Mapping[str, Any] = totals.get(day, {})
        rows.append(
            DayRow(
                day=day,
                received=found.get("received", 0),
                flagged=found.get("flagged_count", 0),
                by_category=dict(sorted(per_category.get(day, {}).items())),
            )
        )
    return rows


def categories_of(days: Sequence[DayRow]) -> list[CategoryRow]:
    """Category totals from the day rows: a comment is received on one day only, so sums add up."""
    totals: dict[str, int] = defaultdict(int)
    for day in days:
        for category, count in day.by_category.items():
            totals[category] += count
    flagged = sum(day.flagged for day in days)
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [CategoryRow(category, count, share(count, flagged)) for category, count in ordered]
