"""Who decided: the platform actions rules asked for versus people, and what became of the
period's flagged comments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from moderation.deadlines import OPEN_STATUSES
from moderation.models import ModerationAction
from moderation.reports.period import FINISHED_STATUSES, ReportPeriod, comments_in, is_flagged


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
    """Platform actions requested in the period, automatic (a rule) versus by a person.

    Cancelled actions (undone before they were sent) never reached the platform: not counted.
    """
    actions = ModerationAction.objects.filter(
        requested_at__gte=period.start_at, requested_at__lt=period.end_at
    ).exclude(state=ModerationAction.State.CANCELLED)
    if period.channel_id is not None:
        actions = actions.filter(channel_id=period.channel_id)
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
