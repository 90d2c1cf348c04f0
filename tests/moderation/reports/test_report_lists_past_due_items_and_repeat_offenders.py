"""Known answers for items past their due time and for authors who keep breaching the policy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from moderation.actions.comments import do_escalate_comment, do_hide_comment
from moderation.actions.undo import do_undo_comment_action
from moderation.models import Comment, Organisation
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import FlagFactory, london, route

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
def test_an_escalated_item_is_past_due_only_when_its_escalation_is(maya) -> None:
    channel = ChannelFactory()
    arrived = {"created_at": london(2025, 8, 7, 9), "received_at": london(2025, 8, 7, 9)}
    first_action_due = london(2025, 8, 7, 12)  # passed by NOW
    foi = CommentFactory(
        channel=channel, status=Comment.Status.REVIEW, due_at=first_action_due, **arrived
    )
    crisis = CommentFactory(
        channel=channel, status=Comment.Status.REVIEW, due_at=first_action_due, **arrived
    )
    with time_machine.travel(london(2025, 8, 7, 13), tick=False):
        do_escalate_comment(foi, route("foi"), actor=maya)  # 20 working days: in time
        do_escalate_comment(crisis, route("crisis"), actor=maya)  # 2 hours: overdue by NOW
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


@pytest.mark.django_db
def test_repeat_offenders_show_the_strikes_given_in_the_period_and_the_last(olivia) -> None:
    channel = ChannelFactory()
    author = AuthorFactory(display_name="Persistent", strikes=1)  # one from before the dates
    hidden = []
    for day in (3, 5, 6):  # the 3rd is before the period
        comment = CommentFactory(channel=channel, author=author, received_at=london(2025, 8, day))
        FlagFactory(comment=comment, outcome="hold")
        hidden.append(comment)
    for day, comment in zip((3, 5, 6), hidden, strict=True):
        with time_machine.travel(london(2025, 8, day, 12), tick=False):
            do_hide_comment(comment, actor=olivia)
    with time_machine.travel(london(2025, 8, 6, 13), tick=False):
        do_undo_comment_action(hidden[2], "hide", actor=olivia)

    [row] = build_report(PERIOD, now=NOW).offenders

    assert (row.strikes, row.strikes_in_period) == (3, 1)
    assert row.last_strike_at == london(2025, 8, 5, 12)
