"""Monitoring hours, working days and deadlines.

Response times count only monitored time (by default Monday–Friday 09:00–17:00 Europe/London,
excluding the channel's nation's bank holidays). Statutory deadlines count working days (FOI and
EIR: 20, as FOIA defines a working day) or calendar months (subject access: one).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
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
    """When a channel is watched: a daily window on the monitored weekdays.

    ``start`` before ``end`` is a day shift (09:00–17:00). ``end`` before ``start`` is a night
    shift that runs into the next morning (22:00–06:00); ``start`` equal to ``end`` is 24 hours
    (00:00–00:00). A shift belongs to the day it starts on: that day must be a monitored weekday,
    and, unless ``bank_holidays_monitored``, not one of the nation's bank holidays.
    """

    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)
    days: str = "01234"  # weekdays monitored, 0 = Monday
    nation: str = "england"
    bank_holidays_monitored: bool = False

    @property
    def all_day(self) -> bool:
        return self.start == self.end

    @property
    def always(self) -> bool:
        """Every moment is monitored: 24 hours, every day, bank holidays included."""
        return self.all_day and set(self.days) >= set("0123456") and self.bank_holidays_monitored

    def is_monitored_day(self, day: dt.date) -> bool:
        """Whether the shift that starts on ``day`` is worked."""
        if str(day.weekday()) not in self.days:
            return False
        return self.bank_holidays_monitored or not is_bank_holiday(day, self.nation)

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The shift starting on ``day``, as UTC instants.

        UTC, because Python compares and subtracts datetimes that share a tzinfo by their wall
        clocks: 00:00 to 00:00 across the spring clock change would count 24 hours, not 23.
        """
        end_day = day if self.start < self.end else day + dt.timedelta(days=1)
        return (
            dt.datetime.combine(day, self.start, tzinfo=LONDON).astimezone(dt.UTC),
            dt.datetime.combine(end_day, self.end, tzinfo=LONDON).astimezone(dt.UTC),
        )

    def _shifts(
        self, first_day: dt.date, last_day: dt.date
    ) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The worked shifts starting on ``first_day`` to ``last_day``, in order."""
        day = first_day
        while day <= last_day:
            if self.is_monitored_day(day):
                yield self._window(day)
            day += dt.timedelta(days=1)

    def is_monitored(self, moment: dt.datetime) -> bool:
        if self.always:
            return True
        instant = moment.astimezone(dt.UTC)
        today = moment.astimezone(LONDON).date()
        # A night shift that started yesterday may still be running.
        return any(
            start <= instant < end
            for start, end in self._shifts(today - dt.timedelta(days=1), today)
        )

    def monitored_seconds_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Seconds of monitored time in [a, b)."""
        if b <= a or not self.days:
            return 0.0
        a_utc, b_utc = a.astimezone(dt.UTC), b.astimezone(dt.UTC)
        if self.always:
            return (b_utc - a_utc).total_seconds()
        first = a.astimezone(LONDON).date() - dt.timedelta(days=1)
        total = 0.0
        for start, end in self._shifts(first, b.astimezone(LONDON).date()):
            lo, hi = max(start, a_utc), min(end, b_utc)
            if hi > lo:
                total += (hi - lo).total_seconds()
        return total

    def add_monitored(self, moment: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment when ``duration`` of monitored time has passed after ``moment``."""
        instant = moment.astimezone(dt.UTC)  # (elapsed time, not wall-clock time)
        if not self.days or self.always:
            return instant + duration
        remaining = duration.total_seconds()
        first = moment.astimezone(LONDON).date() - dt.timedelta(days=1)
        # Ten years of days is far beyond any response target.
        last = first + dt.timedelta(days=3660)
        for start, end in self._shifts(first, last):
            lo = max(start, instant)
            if end > lo:
                available = (end - lo).total_seconds()
                if remaining <= available:
                    return lo + dt.timedelta(seconds=remaining)
                remaining -= available
        return instant + duration

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """When monitoring next starts (``moment`` itself if monitored now)."""
        if self.is_monitored(moment):
            return moment
        return self.add_monitored(moment, dt.timedelta(0)) if self.days else moment


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_days(days: str) -> str:
    """ "01234" → "Mon–Fri"; "0123456" → "every day"; "024" → "Mon, Wed, Fri"."""
    numbers = sorted({int(d) for d in days if d.isdigit() and int(d) < 7})
    if not numbers:
        return "no days"
    if len(numbers) == 7:
        return "every day"
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}–{DAY_NAMES[run[-1]]}")
        else:
            parts.extend(DAY_NAMES[n] for n in run)
    return ", ".join(parts)


def describe_hours(hours: MonitoringHours) -> str:
    """ "Mon–Fri 09:00–17:00", "every day 22:00–06:00 (overnight)", "Mon–Fri, 24 hours", "24/7"."""
    if hours.always:
        return "24/7"
    days = describe_days(hours.days)
    if hours.all_day:
        return f"{days}, 24 hours"
    span = f"{hours.start:%H:%M}–{hours.end:%H:%M}"
    return f"{days} {span}" + (" (overnight)" if hours.end < hours.start else "")


def is_foi_working_day(day: dt.date, nation: str) -> bool:
    """A working day for Freedom of Information and EIR deadlines.

    FOIA s.10(6): any day but a weekend, Christmas Day, Good Friday or a bank holiday in *any*
    part of the UK (so St Patrick's Day counts for an English council). A Scottish authority
    answers under FOISA s.73, whose non-working days are Scotland's bank holidays.
    """
    if day.weekday() >= 5:
        return False
    nations = ("scotland",) if nation == "scotland" else tuple(NATION_SUBDIVISIONS)
    return not any(is_bank_holiday(day, each) for each in nations)


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LONDON).astimezone(dt.UTC)


def add_working_days(
    moment: dt.datetime, days: int, nation: str, *, freedom_of_information: bool = False
) -> dt.datetime:
    """The day the request arrives is day zero; count ``days`` working days after it.

    The deadline is the end of that working day (23:59:59 London time). Freedom of
    Information counts its own working days (``is_foi_working_day``); other routes count the
    nation's.
    """
    working = is_foi_working_day if freedom_of_information else is_working_day
    day = moment.astimezone(LONDON).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if working(day, nation):
            counted += 1
    return _end_of_day(day)


def add_calendar_months(moment: dt.datetime, months: int, nation: str = "england") -> dt.datetime:
    """Subject access: from the day of receipt to the corresponding day ``months`` later.

    Without a corresponding day (31 January + 1 month) it is the month's last day; a deadline
    on a weekend or a bank holiday moves to the next working day (the ICO's reading of UK GDPR
    Art. 12(3)). The deadline is the end of that day.
    """
    local = moment.astimezone(LONDON)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = dt.date(year, month, min(local.day, calendar.monthrange(year, month)[1]))
    while not is_working_day(day, nation):
        day += dt.timedelta(days=1)
    return _end_of_day(day)
