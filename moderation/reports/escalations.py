"""Escalations opened in the period, per route, against their deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from accounts.names import neutralise_bidi
from moderation import deadlines
from moderation.models import Escalation
from moderation.reports.period import ReportPeriod, share


@dataclass(frozen=True)
class EscalationRow:
    route_key: str
    route_name: str
    opened: int
    closed_on_time: int
    closed_late: int
    open_in_time: int
    open_overdue: int

    @property
    def on_time_share(self) -> float | None:
        """Of escalations whose outcome is known (closed, or open past the deadline)."""
        known = self.closed_on_time + self.closed_late + self.open_overdue
        return share(self.closed_on_time, known)


def escalations_by_route(period: ReportPeriod, now: dt.datetime) -> list[EscalationRow]:
    escalations = Escalation.objects.filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    )
    if period.channel_id is not None:
        escalations = escalations.filter(comment__channel_id=period.channel_id)
    closed = Q(state=Escalation.State.CLOSED)
    still_open = Q(state=Escalation.State.OPEN)
    overdue = deadlines.overdue_escalations(now)
    rows = (
        escalations.values("route__key", "route__name")
        .annotate(
            opened=Count("id"),
            closed_on_time=Count("id", filter=closed & Q(closed_at__lte=F("deadline_at"))),
            closed_late=Count("id", filter=closed & Q(closed_at__gt=F("deadline_at"))),
            open_in_time=Count("id", filter=still_open & ~overdue),
            open_overdue=Count("id", filter=overdue),
        )
        .order_by("route__name")
    )
    return [
        EscalationRow(
            route_key=row["route__key"],
            route_name=neutralise_bidi(row["route__name"]),
            opened=row["opened"],
            closed_on_time=row["closed_on_time"],
            closed_late=row["closed_late"],
            open_in_time=row["open_in_time"],
            open_overdue=row["open_overdue"],
        )
        for row in rows
    ]
