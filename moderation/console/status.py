"""What the console says about time: monitoring hours, the next opening, due and overdue.

Officers work Monday to Friday, nine to five (by default), and the queue's due times count only
that monitored time; outside it the console says so and when monitoring next starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from moderation.deadlines import is_past_due, monitoring_hours
from moderation.hours import LONDON, describe_hours
from moderation.models import Channel


def describe_moment(moment: dt.datetime, now: dt.datetime) -> str:
    """A short local time: "14:30" today, "Mon 09:00" this week, "Mon 6 Jan 09:00" beyond."""
    local, today = moment.astimezone(LONDON), now.astimezone(LONDON).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    if abs((local.date() - today).days) < 7:
        return f"{local:%a %H:%M}"
    return f"{local:%a} {local.day} {local:%b %H:%M}"


@dataclass(frozen=True)
class MonitoringStatus:
    channels: tuple[str, ...]
    hours: str
    monitored: bool
    next_opening: str

    @property
    def sentence(self) -> str:
        if self.monitored:
            return f"Monitored now ({self.hours})."
        return f"Outside monitoring hours ({self.hours}); next opening {self.next_opening}."


def monitoring_statuses(
    channels: Iterable[Channel], now: dt.datetime | None = None
) -> list[MonitoringStatus]:
    """One status per distinct set of hours among the channels (usually just one)."""
    now = now or timezone.now()
    # Channels whose hours read the same and open at the same moment share one line (nations
    # differ only on bank holidays, so they usually do).
    groups: dict[tuple[str, bool, str], list[str]] = {}
    for channel in channels:
        hours = monitoring_hours(channel)
        monitored = hours.is_monitored(now)
        opening = "" if monitored else describe_moment(hours.next_opening(now), now)
        groups.setdefault((describe_hours(hours), monitored, opening), []).append(str(channel))
    return [
        MonitoringStatus(tuple(names), hours, monitored, opening)
        for (hours, monitored, opening), names in groups.items()
    ]


def is_overdue(due_at: dt.datetime | None, status: str, now: dt.datetime | None = None) -> bool:
    return is_past_due(due_at, status, now or timezone.now())
