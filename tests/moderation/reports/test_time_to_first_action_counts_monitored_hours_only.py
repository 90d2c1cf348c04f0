"""Known answers for response times: monitored hours only, per channel's hours and nation."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from moderation.reports.response_times import percentile
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import london

AUGUST_2025 = ReportPeriod(dt.date(2025, 8, 1), dt.date(2025, 8, 31))
AFTERWARDS = london(2025, 9, 15)


@pytest.mark.django_db
def test_a_weekend_and_the_late_summer_bank_holiday_do_not_count() -> None:
    # Friday 16:30 to Tuesday 09:30; Monday 25 August 2025 is England's late summer bank holiday.
    CommentFactory(
        channel=ChannelFactory(nation="england"),
        received_at=london(2025, 8, 22, 16, 30),
        first_action_at=london(2025, 8, 26, 9, 30),
    )
    report = build_report(AUGUST_2025, now=AFTERWARDS)
    assert report.response.count == 1
    assert report.response.median_seconds == 60 * 60


@pytest.mark.django_db
def test_in_scotland_that_monday_is_a_working_day() -> None:
    # Scotland's summer bank holiday was 4 August, so 25 August counts in full: 30 + 480 + 30.
    CommentFactory(
        channel=ChannelFactory(nation="scotland"),
        received_at=london(2025, 8, 22, 16, 30),
        first_action_at=london(2025, 8, 26, 9, 30),
    )
    report = build_report(AUGUST_2025, now=AFTERWARDS)
    assert report.response.median_seconds == 540 * 60


@pytest.mark.django_db
def test_median_ninetieth_percentile_and_share_within_target() -> None:
    channel = ChannelFactory(response_target_minutes=60)
    for minutes in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100):
        received = london(2025, 8, 4 + minutes // 50, 9, 0)  # Monday or Tuesday morning
        CommentFactory(
            channel=channel,
            received_at=received,
            first_action_at=received + dt.timedelta(minutes=minutes),
        )
    response = build_report(AUGUST_2025, now=AFTERWARDS).response
    assert response.count == 10
    assert response.median_seconds == 55 * 60
    assert response.p90_seconds == 90 * 60
    assert response.within_target == 6
    assert response.within_target_share == pytest.approx(0.6)


@pytest.mark.django_db
def test_each_channel_is_measured_against_its_own_target() -> None:
    strict = ChannelFactory(name="Strict page", response_target_minutes=30)
    relaxed = ChannelFactory(name="Relaxed page", response_target_minutes=240)
    for channel in (strict, relaxed):
        received = london(2025, 8, 5, 10, 0)
        CommentFactory(
            channel=channel, received_at=received, first_action_at=received + dt.timedelta(hours=1)
        )
    report = build_report(AUGUST_2025, now=AFTERWARDS)
    by_name = {row.name: row for row in report.channels}
    assert by_name["Strict page"].response.within_target == 0
    assert by_name["Relaxed page"].response.within_target == 1
    assert report.response.within_target == 1


@pytest.mark.django_db
def test_items_outside_the_period_or_without_a_first_action_are_not_timed() -> None:
    channel = ChannelFactory()
    CommentFactory(
        channel=channel,
        received_at=london(2025, 7, 31, 16, 0),
        first_action_at=london(2025, 8, 1, 10, 0),
    )
    CommentFactory(channel=channel, received_at=london(2025, 8, 5, 10, 0), first_action_at=None)
    report = build_report(AUGUST_2025, now=AFTERWARDS)
    assert report.response.count == 0
    assert report.response.median_seconds is None


def test_the_nearest_rank_percentile_of_ten_items_is_the_ninth() -> None:
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([], 0.9) is None
