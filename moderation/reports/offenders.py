"""Repeat offenders: authors flagged again and again in the period, or with strikes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from moderation.reports.period import PLATFORM_LABELS, ReportPeriod, comments_in, is_flagged
from rules.names import neutralise_bidi

OFFENDERS_SHOWN = 20


@dataclass(frozen=True)
class OffenderRow:
    author_id: int
    name: str
    handle: str
    platform: str
    flagged_comments: int
    strikes: int
    blocked: bool
    block_recommended: bool


def repeat_offenders(period: ReportPeriod, strike_threshold: int) -> list[OffenderRow]:
    """Authors with two or more flagged comments in the period, or two or more strikes."""
    rows = (
        comments_in(period)
        .filter(is_flagged())
        .values(
            "author_id",
            "author__display_name",
            "author__handle",
            "author__platform",
            "author__strikes",
            "author__blocked",
        )
        .annotate(flagged=Count("id"))
        .filter(Q(flagged__gte=2) | Q(author__strikes__gte=2))
        .order_by("-flagged", "-author__strikes", "author_id")[:OFFENDERS_SHOWN]
    )
    return [
        OffenderRow(
            author_id=row["author_id"],
            name=neutralise_bidi(row["author__display_name"] or row["author__handle"]),
            handle=neutralise_bidi(row["author__handle"]),
            platform=PLATFORM_LABELS.get(row["author__platform"], row["author__platform"]),
            flagged_comments=row["flagged"],
            strikes=row["author__strikes"],
            blocked=row["author__blocked"],
            block_recommended=not row["author__blocked"]
            and row["author__strikes"] >= strike_threshold,
        )
        for row in rows
    ]
