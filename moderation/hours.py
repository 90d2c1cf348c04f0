"""Monitoring hours, working days and deadlines.

Response times count only monitored time (by default Monday–Friday 09:00–17:00 Europe/London,
excluding the channel's nation's bank holidays). Statutory deadlines count working days (FOI and
EIR: 20) or calendar months (subject access: one).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
# The `holidays` package names the UK's nations by ISO 3166-2 subdivision.
NATION_SUBDIVISIONS = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    subdiv = NATION_SUBDIVISIONS.get(nation, "ENG")
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())


def is_bank_holiday(day: dt.date, nation: str) -> bool:
    return day in _bank_holidays(nation, day.year)


def is_working_day(day: dt.date, nation: str) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day, nation)


@dataclass(frozen=True)
class MonitoringHours:
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)
    days: str = "01234"  # weekdays monitored, 0 = Monday
    nation: str = "england"

    def is_monitored_day(self, day: dt.date) -> bool:
        return str(day.weekday()) in self.days and not is_bank_holiday(day, self.nation)

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.start, tzinfo=LONDON),
            dt.datetime.combine(day, self.end, tzinfo=LONDON),
        )

    def is_monitored(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(LONDON)
        if not self.is_monitored_day(local.date()):
            return False
        start, end = self._window(local.date())
        return start <= local < end

    def monitored_seconds_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Seconds of monitored time in [a, b)."""
        if b <= a or self.start >= self.end:
            return 0.0
        a_local, b_local = a.astimezone(LONDON), b.astimezone(LONDON)
        total = 0.0
        day = a_local.date()
        while day <= b_local.date():
            if self.is_monitored_day(day):
                start, end = self._window(day)
                lo, hi = max(start, a_local), min(end, b_local)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += dt.timedelta(days=1)
        return total

    def add_monitored(self, moment: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment when ``duration`` of monitored time has passed after ``moment``."""
        remaining = duration.total_seconds()
        local = moment.astimezone(LONDON)
        day = local.date()
        if self.start >= self.end or not self.days:
            return moment + duration
        for _ in range(3660):  # ten years of days is far beyond any response target
            if self.is_monitored_day(day):
                start, end = self._window(day)
                lo = max(start, local)
                if end > lo:
                    available = (end - lo).total_seconds()
                    if remaining <= available:
                        return (lo + dt.timedelta(seconds=remaining)).astimezone(dt.UTC)
                    remaining -= available
            day += dt.timedelta(days=1)
            local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)
        return moment + duration

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """When monitoring next starts (``moment`` itself if monitored now)."""
        if self.is_monitored(moment):
            return moment
        return self.add_monitored(moment, dt.timedelta(0)) if self.days else moment


def add_working_days(moment: dt.datetime, days: int, nation: str) -> dt.datetime:
    """FOI/EIR deadlines: the day the request arrives is day zero; count ``days`` working days.

    The deadline is the end of that working day (23:59:59 London time).
    """
    day = moment.astimezone(LONDON).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LONDON).astimezone(dt.UTC)


def add_calendar_months(moment: dt.datetime, months: int) -> dt.datetime:
    """Subject access: one calendar month, to the corresponding day (or the month's last day)."""
    local = moment.astimezone(LONDON)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return dt.datetime.combine(
        dt.date(year, month, day), dt.time(23, 59, 59), tzinfo=LONDON
    ).astimezone(dt.UTC)
