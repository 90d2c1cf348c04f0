"""Repeat offenders: authors flagged again and again in the period, or with strikes; with the
strikes given in the period and the date of the last (``Strike``; strikes taken back are not
counted, and those given before strikes were dated count only in the total)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.names import neutralise_bidi
from moderation.models import Strike
from moderation.reports.period import PLATFORM_LABELS, ReportPeriod, comments_in, is_flagged

OFFENDERS_SHOWN = 20


@dataclass(frozen=True)
class OffenderRow:
    author_id: int
    name: str
    handle: str
    platform: str
    flagged_comments: int
    strikes: int
    strikes_in_period: int
    last_strike_at: dt.datetime | None  # the last not taken back, up to the period's end
    blocked: bool
    block_recommended: bool


def repeat_offenders(period: ReportPeriod, strike_threshold: int) -> list[OffenderRow]:
    """Authors with two or more flagged comments in the period, or two or more strikes."""
    # Strikes not taken back, up to the period's end, each author's own (one query in all).
    dated = Strike.objects.filter(
        author_id=OuterRef("author_id"), taken_back_at__isnull=True, given_at__lt=period.end_at
    )
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
        .annotate(
            flagged=Count("id"),
            strikes_in_period=Coalesce(
                Subquery(
                    dated.filter(given_at__gte=period.start_at)
                    .values("author_id")
                    .annotate(n=Count("id"))
                    .values("n")[:1]
                ),
                0,
            ),
            last_strike_at=Subquery(dated.order_by("-given_at").values("given_at")[:1]),
        )
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
            strikes_in_period=row["strikes_in_period"],
            last_strike_at=row["last_strike_at"],
            blocked=row["author__blocked"],
            block_recommended=not row["author__blocked"]
            and row["author__strikes"] >= strike_threshold,
        )
        for row in rows
    ]
