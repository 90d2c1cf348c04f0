"""Monitoring hours that cross midnight (22:00–06:00), that last all day (00:00–00:00, "24 hours"),
and bank holidays that are monitored or not: what is monitored, how much monitored time lies
between two moments, and when a response target falls due.

A night shift belongs to the day it starts on: with Monday to Friday 22:00–06:00, Friday's shift
runs into Saturday morning and Sunday's (not monitored) into Monday morning.
"""

from __future__ import annotations

import datetime as dt

from moderation.hours import MonitoringHours
from tests.moderation.reports.factories_reports import london

HOUR = 3600.0
NIGHTS = MonitoringHours(start=dt.time(22, 0), end=dt.time(6, 0), days="01234")
ALWAYS = MonitoringHours(
    start=dt.time(0, 0), end=dt.time(0, 0), days="0123456", bank_holidays_monitored=True
)
WEEKDAYS_ALL_DAY = MonitoringHours(start=dt.time(0, 0), end=dt.time(0, 0), days="01234")
# Monday 25 August 2025 is England's late summer bank holiday.
BANK_HOLIDAY = dt.date(2025, 8, 25)


def test_a_night_shift_is_monitored_until_the_next_morning() -> None:
    assert NIGHTS.is_monitored(london(2025, 8, 4, 23))  # Monday night
    assert NIGHTS.is_monitored(london(2025, 8, 5, 5, 59))  # Monday's shift, Tuesday morning
    assert not NIGHTS.is_monitored(london(2025, 8, 5, 6))  # it ends at six
    assert not NIGHTS.is_monitored(london(2025, 8, 5, 12))
    assert NIGHTS.is_monitored(london(2025, 8, 9, 5))  # Friday's shift, Saturday morning
    assert not NIGHTS.is_monitored(london(2025, 8, 9, 23))  # Saturday night
    assert not NIGHTS.is_monitored(london(2025, 8, 4, 5))  # Sunday's shift, Monday morning


def test_monitored_time_across_a_night_shift() -> None:
    # Monday 21:00 to Tuesday 07:00: the whole shift, 22:00–06:00.
    assert NIGHTS.monitored_seconds_between(london(2025, 8, 4, 21), london(2025, 8, 5, 7)) == (
        8 * HOUR
    )
    # Friday 23:00 to Monday 23:00: Friday's shift from 23:00 (7 h) and Monday's first hour.
    assert NIGHTS.monitored_seconds_between(london(2025, 8, 8, 23), london(2025, 8, 11, 23)) == (
        8 * HOUR
    )


def test_a_target_falls_due_within_the_night_shifts() -> None:
    assert NIGHTS.add_monitored(london(2025, 8, 4, 23), dt.timedelta(hours=4)) == london(
        2025, 8, 5, 3
    )
    # Received Tuesday 05:00: one hour left of Monday's shift, then Tuesday's from 22:00.
    assert NIGHTS.add_monitored(london(2025, 8, 5, 5), dt.timedelta(hours=2)) == london(
        2025, 8, 5, 23
    )
    # Received Saturday noon: nothing until Monday 22:00.
    assert NIGHTS.add_monitored(london(2025, 8, 9, 12), dt.timedelta(minutes=30)) == london(
        2025, 8, 11, 22, 30
    )
    assert NIGHTS.next_opening(london(2025, 8, 9, 12)) == london(2025, 8, 11, 22)


def test_all_day_every_day_is_plain_elapsed_time_even_when_the_clocks_change() -> None:
    # The clocks went forward at 01:00 on Sunday 30 March 2025: that London day had 23 hours,
    # so noon Saturday to noon Monday is 47 hours (and Python's wall-clock subtraction of two
    # London times would say 48).
    start, end = london(2025, 3, 29, 12), london(2025, 3, 31, 12)
    assert ALWAYS.monitored_seconds_between(start, end) == 47 * HOUR
    assert ALWAYS.add_monitored(start, dt.timedelta(hours=47)) == end
    # The same through the shift-by-shift path (bank holidays not monitored, none that weekend).
    every_day = MonitoringHours(start=dt.time(0, 0), end=dt.time(0, 0), days="0123456")
    assert every_day.monitored_seconds_between(start, end) == 47 * HOUR
    assert every_day.add_monitored(start, dt.timedelta(hours=47)) == end
    assert ALWAYS.is_monitored(london(2025, 12, 25, 3))
    assert ALWAYS.next_opening(london(2025, 8, 9, 3)) == london(2025, 8, 9, 3)


def test_all_day_on_weekdays_stops_for_the_weekend() -> None:
    assert WEEKDAYS_ALL_DAY.is_monitored(london(2025, 8, 8, 23, 59))
    assert not WEEKDAYS_ALL_DAY.is_monitored(london(2025, 8, 9, 0, 1))
    # Friday 23:00 to Monday 01:00: one hour on Friday, one on Monday.
    assert WEEKDAYS_ALL_DAY.monitored_seconds_between(
        london(2025, 8, 8, 23), london(2025, 8, 11, 1)
    ) == (2 * HOUR)
    assert WEEKDAYS_ALL_DAY.add_monitored(london(2025, 8, 8, 23), dt.timedelta(hours=3)) == london(
        2025, 8, 11, 2
    )


def test_bank_holidays_are_monitored_only_when_the_hours_say_so() -> None:
    office = MonitoringHours()
    fire_service = MonitoringHours(bank_holidays_monitored=True)
    assert not office.is_monitored(london(2025, 8, 25, 10))
    assert fire_service.is_monitored(london(2025, 8, 25, 10))
    # Friday 16:30 to Tuesday 09:30: 1 hour for the office, 9 hours for the fire service.
    friday, tuesday = london(2025, 8, 22, 16, 30), london(2025, 8, 26, 9, 30)
    assert office.monitored_seconds_between(friday, tuesday) == 1 * HOUR
    assert fire_service.monitored_seconds_between(friday, tuesday) == 9 * HOUR


def test_a_night_shift_that_starts_on_a_bank_holiday_is_not_monitored_unless_chosen() -> None:
    every_night = MonitoringHours(start=dt.time(22, 0), end=dt.time(6, 0), days="0123456")
    assert every_night.is_monitored(london(2025, 8, 25, 3))  # Sunday's shift
    assert not every_night.is_monitored(london(2025, 8, 25, 23))  # the bank holiday's shift
    assert not every_night.is_monitored(london(2025, 8, 26, 3))
    with_holidays = MonitoringHours(
        start=dt.time(22, 0), end=dt.time(6, 0), days="0123456", bank_holidays_monitored=True
    )
    assert with_holidays.is_monitored(london(2025, 8, 26, 3))
    assert BANK_HOLIDAY.weekday() == 0
