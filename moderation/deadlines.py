"""Due times (monitored hours) and escalation deadlines (working days, calendar months)."""

from __future__ import annotations

import datetime as dt

from moderation.hours import MonitoringHours, add_calendar_months, add_working_days
from moderation.models import Channel, EscalationRoute


def monitoring_hours(channel: Channel) -> MonitoringHours:
    return MonitoringHours(
        start=channel.hours_start,
        end=channel.hours_end,
        days=channel.hours_days,
        nation=channel.nation,
        bank_holidays_monitored=channel.bank_holidays_monitored,
    )


def due_time_for(channel: Channel, received_at: dt.datetime) -> dt.datetime:
    """When the first action is due: the response target counted in monitored time only."""
    target = dt.timedelta(minutes=channel.response_target_minutes)
    return monitoring_hours(channel).add_monitored(received_at, target)


def deadline_for_route(
    route: EscalationRoute, channel: Channel, received_at: dt.datetime
) -> dt.datetime:
    kind = route.deadline_kind
    if kind == EscalationRoute.DeadlineKind.WORKING_DAYS:
        return add_working_days(received_at, route.deadline_amount, channel.nation)
    if kind == EscalationRoute.DeadlineKind.CALENDAR_MONTHS:
        return add_calendar_months(received_at, route.deadline_amount)
    return received_at + dt.timedelta(hours=route.deadline_amount)
