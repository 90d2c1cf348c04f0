"""Known answers for time to first action on channels watched overnight or around the clock."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.deadlines import due_time_for
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import london

AUGUST_2025 = ReportPeriod(dt.date(2025, 8, 1), dt.date(2025, 8, 31))
AFTERWARDS = london(2025, 9, 15)


@pytest.mark.django_db
def test_a_night_shift_counts_only_the_night() -> None:
    # Received Monday 20:00, handled Tuesday 07:00: the shift 22:00–06:00 is 8 hours of it.
    nights = ChannelFactory(hours_start=dt.time(22, 0), hours_end=dt.time(6, 0))
    CommentFactory(
        channel=nights,
        received_at=london(2025, 8, 4, 20),
        first_action_at=london(2025, 8, 5, 7),
    )
    assert build_report(AUGUST_2025, now=AFTERWARDS).response.median_seconds == 8 * 3600


@pytest.mark.django_db
def test_a_comment_received_in_the_small_hours_is_timed_from_then() -> None:
    # Received Saturday 02:00 during Friday's shift, handled Saturday 02:20: 20 minutes.
    nights = ChannelFactory(
        hours_start=dt.time(22, 0), hours_end=dt.time(6, 0), response_target_minutes=30
    )
    CommentFactory(
        channel=nights,
        received_at=london(2025, 8, 9, 2),
        first_action_at=london(2025, 8, 9, 2, 20),
    )
    response = build_report(AUGUST_2025, now=AFTERWARDS).response
    assert response.median_seconds == 20 * 60
    assert response.within_target == 1


@pytest.mark.django_db
def test_around_the_clock_counts_weekends_and_bank_holidays() -> None:
    # Friday 16:30 to Tuesday 09:30 over the late summer bank holiday: every one of 89 hours.
    fire = ChannelFactory(
        hours_start=dt.time(0, 0),
        hours_end=dt.time(0, 0),
        hours_days="0123456",
        bank_holidays_monitored=True,
        response_target_minutes=60,
    )
    office = ChannelFactory()
    for channel in (fire, office):
        CommentFactory(
            channel=channel,
            received_at=london(2025, 8, 22, 16, 30),
            first_action_at=london(2025, 8, 26, 9, 30),
        )
    report = build_report(AUGUST_2025, now=AFTERWARDS)
    by_channel = {row.channel_id: row.response for row in report.channels}
    assert by_channel[fire.pk].median_seconds == 89 * 3600
    assert by_channel[office.pk].median_seconds == 1 * 3600
    assert by_channel[fire.pk].within_target == 0


@pytest.mark.django_db
def test_due_times_of_new_items_follow_the_night_shift() -> None:
    nights = ChannelFactory(
        hours_start=dt.time(22, 0), hours_end=dt.time(6, 0), response_target_minutes=120
    )
    # Received Tuesday 05:30: 30 minutes left of Monday's shift, then 90 from Tuesday 22:00.
    assert due_time_for(nights, london(2025, 8, 5, 5, 30)) == london(2025, 8, 5, 23, 30)
