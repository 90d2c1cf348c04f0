"""Who decided: the platform actions rules asked for versus people, and what became of the
period's flagged comments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from moderation.deadlines import OPEN_STATUSES
from moderation.models import ModerationAction
from moderation.reports.period import (
    FINISHED_STATUSES,
    ReportPeriod,
    comments_in,
    is_flagged,
    standing_actions,
)


@dataclass(frozen=True)
class OutcomeRow:
    kind: str
    label: str
    automatic: int
    by_people: int

    @property
    def total(self) -> int:
        return self.automatic + self.by_people


@dataclass(frozen=True)
class Decisions:
    """What became of the period's flagged comments."""

    by_people: int
    by_rules_alone: int
    still_open: int

    @property
    def total(self) -> int:
        return self.by_people + self.by_rules_alone + self.still_open


def platform_outcomes(period: ReportPeriod) -> list[OutcomeRow]:
    """Platform actions requested in the period that stand, automatic (a rule) versus by a person.

    The same actions the hidden table counts: a hide withdrawn, failed or taken back by an unhide
    is not a hide (the unhide is counted as what it is).
    """
    actions = standing_actions(period)
    found = {
        row["kind"]: row
        for row in actions.values("kind")
        .annotate(
            automatic=Count("id", filter=Q(actor__isnull=True)),
            by_people=Count("id", filter=Q(actor__isnull=False)),
        )
        .order_by()
    }
    return [
        OutcomeRow(kind, str(label), found[kind]["automatic"], found[kind]["by_people"])
        for kind, label in ModerationAction.Kind.choices
        if kind in found
    ]


def decisions(period: ReportPeriod) -> Decisions:
    counts = (
        comments_in(period)
        .filter(is_flagged())
        .aggregate(
            by_people=Count("id", filter=Q(handled_by__isnull=False)),
            by_rules_alone=Count(
                "id", filter=Q(handled_by__isnull=True, status__in=FINISHED_STATUSES)
            ),
            still_open=Count("id", filter=Q(handled_by__isnull=True, status__in=OPEN_STATUSES)),
        )
    )
    return Decisions(counts["by_people"], counts["by_rules_alone"], counts["still_open"])
