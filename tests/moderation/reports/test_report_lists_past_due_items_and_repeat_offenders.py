"""Known answers for items past their due time and for authors who keep breaching the policy."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.models import Comment, Organisation
from moderation.reports.queries import ReportPeriod, build_report
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import FlagFactory, london

PERIOD = ReportPeriod(dt.date(2025, 8, 4), dt.date(2025, 8, 10))
NOW = london(2025, 8, 8, 12)


@pytest.mark.django_db
def test_items_due_before_now_and_not_done_are_past_due() -> None:
    channel = ChannelFactory(name="Main page")
    due_yesterday = london(2025, 8, 7, 12)
    CommentFactory(channel=channel, status=Comment.Status.REVIEW, due_at=due_yesterday)
    CommentFactory(channel=channel, status=Comment.Status.HELD, due_at=london(2025, 8, 6, 9))
    CommentFactory(channel=channel, status=Comment.Status.DONE, due_at=due_yesterday)
    CommentFactory(channel=channel, status=Comment.Status.REVIEW, due_at=london(2025, 8, 8, 13))
    CommentFactory(channel=channel, status=Comment.Status.REVIEW, due_at=None)

    report = build_report(PERIOD, now=NOW)

    assert report.past_due.total == 2
    assert report.past_due.by_status == {"review": 1, "held": 1}
    assert report.past_due.oldest_due_at == london(2025, 8, 6, 9)
    assert {row.name: row.past_due for row in report.channels} == {"Main page": 2}


@pytest.mark.django_db
def test_an_item_a_person_escalated_follows_its_escalation_instead() -> None:
    channel = ChannelFactory()
    overdue = london(2025, 8, 7, 12)
    CommentFactory(
        channel=channel,
        status=Comment.Status.ESCALATED,
        due_at=overdue,
        first_action_at=london(2025, 8, 7, 10),
    )
    CommentFactory(channel=channel, status=Comment.Status.ESCALATED, due_at=overdue)  # by a rule
    assert build_report(PERIOD, now=NOW).past_due.by_status == {"escalated": 1}


@pytest.mark.django_db
def test_authors_with_repeated_flagged_comments_are_listed_worst_first() -> None:
    Organisation.objects.update(strike_threshold=3)
    channel = ChannelFactory()
    persistent = AuthorFactory(display_name="Persistent", strikes=3)
    blocked = AuthorFactory(display_name="Already blocked", strikes=4, blocked=True)
    once = AuthorFactory(display_name="Once only", strikes=0)
    for author, flagged in ((persistent, 3), (blocked, 2), (once, 1)):
        for _ in range(flagged):
            comment = CommentFactory(
                channel=channel, author=author, received_at=london(2025, 8, 5, 10)
            )
            FlagFactory(comment=comment)
    CommentFactory(channel=channel, author=once, received_at=london(2025, 8, 5, 11))  # clean

    offenders = build_report(PERIOD, now=NOW).offenders

    assert [(o.name, o.flagged_comments, o.strikes) for o in offenders] == [
        ("Persistent", 3, 3),
        ("Already blocked", 2, 4),
    ]
    assert [o.block_recommended for o in offenders] == [True, False]
