"""Copies of a residents' campaign go to review, so the report counts them as flagged, but a
campaign is not a policy category: they are not spam in the per-category counts."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.jobs import evaluate_comments
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import london

PERIOD = ReportPeriod(dt.date(2025, 8, 4), dt.date(2025, 8, 6))
CAMPAIGN = "Save Hadleigh library! It is the only warm space in town for older people."


@pytest.mark.django_db
def test_campaign_copies_are_flagged_comments_in_no_category() -> None:
    channel = ChannelFactory()
    for n in range(3):
        author = AuthorFactory(platform=channel.platform, handle=f"resident{n}")
        comment = CommentFactory(
            channel=channel, author=author, text=CAMPAIGN, received_at=london(2025, 8, 5, 9 + n)
        )
        evaluate_comments([comment.pk])

    report = build_report(PERIOD, now=london(2025, 9, 1))

    assert report.flagged == 2
    assert report.categories == []
