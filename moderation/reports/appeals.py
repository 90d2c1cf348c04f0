"""Appeals and removal notices in a report period: how many appeals were received, and how they
were decided (a committee asks how often a removal was overturned)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from moderation.models import Appeal, ModerationAction
from moderation.reports.period import ReportPeriod
from moderation.reports.tables import Section, number, table_of, text


@dataclass(frozen=True)
class AppealCounts:
    received: int
    open: int
    reinstated: int
    upheld_not_restorable: int
    refused: int
    notices: int


def appeal_counts(period: ReportPeriod) -> AppealCounts:
    """Appeals recorded in the period (by state now) and removal notices asked for in it."""
    appeals = Appeal.objects.filter(recorded_at__gte=period.start_at, recorded_at__lt=period.end_at)
    notices = ModerationAction.objects.filter(
        kind=ModerationAction.Kind.NOTICE,
        requested_at__gte=period.start_at,
        requested_at__lt=period.end_at,
    )
    if period.channel_id is not None:
        appeals = appeals.filter(comment__channel_id=period.channel_id)
        notices = notices.filter(channel_id=period.channel_id)
    states = Appeal.State
    totals = appeals.aggregate(
        received=Count("id"),
        open=Count("id", filter=Q(state=states.OPEN)),
        reinstated=Count("id", filter=Q(state=states.REINSTATED)),
        upheld_not_restorable=Count("id", filter=Q(state=states.UPHELD_NOT_RESTORABLE)),
        refused=Count("id", filter=Q(state=states.REFUSED)),
    )
    return AppealCounts(notices=notices.count(), **totals)


def appeals_section(period: ReportPeriod) -> Section:
    counts = appeal_counts(period)
    rows = [
        ("Appeals received", counts.received),
        ("Waiting for a decision", counts.open),
        ("Upheld and reinstated", counts.reinstated),
        ("Upheld, not restorable on the platform", counts.upheld_not_restorable),
        ("Refused", counts.refused),
        ("Removal notices posted", counts.notices),
    ]
    return Section(
        "appeals",
        "Appeals and removal notices",
        "Appeals against removals recorded in the period, by where they stand now, and the "
        "removal notices asked for in it.",
        None,
        [
            table_of(
                "appeals",
                "Appeals and removal notices",
                ["Appeals and notices", "Number"],
                [[text(label), number(n)] for label, n in rows],
            )
        ],
    )
