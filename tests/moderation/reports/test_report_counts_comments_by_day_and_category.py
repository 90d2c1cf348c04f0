"""Known answers for comments received per London day, flagged share and categories."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import FlagFactory, london

PERIOD = ReportPeriod(dt.date(2025, 8, 4), dt.date(2025, 8, 6))
LATER = london(2025, 9, 1)


@pytest.fixture
def channel():
    return ChannelFactory(name="Main page")


@pytest.mark.django_db
def test_each_day_counts_comments_received_and_flagged(channel) -> None:
    abusive = CommentFactory(channel=channel, received_at=london(2025, 8, 4, 10))
    FlagFactory(comment=abusive, category="abuse")
    doxxing = CommentFactory(channel=channel, received_at=london(2025, 8, 4, 11))
    FlagFactory(comment=doxxing, category="abuse")
    FlagFactory(comment=doxxing, category="personal_data", rule_key="pd.phone")
    CommentFactory(channel=channel, received_at=london(2025, 8, 4, 12))
    spam = CommentFactory(channel=channel, received_at=london(2025, 8, 6, 9))
    FlagFactory(comment=spam, category="spam", outcome="auto_hide", rule_key="spam.links")

    report = build_report(PERIOD, now=LATER)

    assert [(d.day.day, d.received, d.flagged) for d in report.days] == [
        (4, 3, 2),
        (5, 0, 0),
        (6, 1, 1),
    ]
    assert report.days[0].by_category == {"abuse": 2, "personal_data": 1}
    assert report.received == 4
    assert report.flagged == 3
    assert report.flagged_share == pytest.approx(0.75)
    assert [(c.category, c.comments) for c in report.categories] == [
        ("abuse", 2),
        ("personal_data", 1),
        ("spam", 1),
    ]


@pytest.mark.django_db
def test_shadow_and_record_only_matches_do_not_flag_a_comment(channel) -> None:
    shadowed = CommentFactory(channel=channel, received_at=london(2025, 8, 5, 10))
    FlagFactory(comment=shadowed, shadow=True)
    recorded = CommentFactory(channel=channel, received_at=london(2025, 8, 5, 11))
    FlagFactory(comment=recorded, outcome="none", category="political")
    report = build_report(PERIOD, now=LATER)
    assert report.received == 2
    assert report.flagged == 0
    assert report.categories == []


@pytest.mark.django_db
def test_a_comment_just_after_midnight_counts_on_that_london_day(channel) -> None:
    # 00:30 BST on 6 August is 23:30 UTC on 5 August.
    CommentFactory(channel=channel, received_at=london(2025, 8, 6, 0, 30))
    CommentFactory(channel=channel, received_at=london(2025, 8, 3, 23, 59))  # before the period
    CommentFactory(channel=channel, received_at=london(2025, 8, 7, 0, 0))  # after it
    report = build_report(PERIOD, now=LATER)
    assert [d.received for d in report.days] == [0, 0, 1]


@pytest.mark.django_db
def test_choosing_a_channel_leaves_the_others_out(channel) -> None:
    other = ChannelFactory(name="Other page")
    CommentFactory(channel=channel, received_at=london(2025, 8, 4, 10))
    CommentFactory(channel=other, received_at=london(2025, 8, 4, 10))
    CommentFactory(channel=other, received_at=london(2025, 8, 4, 11))
    only_main = ReportPeriod(PERIOD.start, PERIOD.end, channel_id=channel.pk)
    report = build_report(only_main, now=LATER)
    assert report.received == 1
    assert report.channel_name.startswith("Main page")
    assert [row.name for row in report.channels] == ["Main page"]
    assert {row.name: row.received for row in build_report(PERIOD, now=LATER).channels} == {
        "Other page": 2,
        "Main page": 1,
    }
