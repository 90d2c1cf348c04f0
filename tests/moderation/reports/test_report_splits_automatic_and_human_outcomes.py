"""Known answers for who decided: rules on their own, or people; and what each person did."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from accounts.audit import SystemActor, record
from moderation.actions import (
    do_approve_comment,
    do_escalate_comment,
    do_hide_comment,
    do_reply_to_comment,
)
from moderation.models import Comment, ModerationAction
from moderation.reports.forms import london_today
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import (
    FlagFactory,
    ModerationActionFactory,
    london,
    route,
)

PERIOD = ReportPeriod(dt.date(2025, 8, 4), dt.date(2025, 8, 10))
LATER = london(2025, 9, 1)


@pytest.mark.django_db
def test_platform_actions_are_automatic_when_no_person_asked(olivia, oscar) -> None:
    in_period = london(2025, 8, 5, 10)
    for _ in range(3):
        ModerationActionFactory(requested_at=in_period)
    ModerationActionFactory(requested_at=in_period, actor=olivia, actor_label=olivia.label)
    for _ in range(2):
        ModerationActionFactory(
            requested_at=in_period,
            kind=ModerationAction.Kind.REMOVE,
            actor=oscar,
            actor_label=oscar.label,
        )
    ModerationActionFactory(requested_at=london(2025, 8, 11, 10))  # the week after

    outcomes = {row.kind: row for row in build_report(PERIOD, now=LATER).outcomes}

    assert (outcomes["hide"].automatic, outcomes["hide"].by_people) == (3, 1)
    assert (outcomes["remove"].automatic, outcomes["remove"].by_people) == (0, 2)
    assert set(outcomes) == {"hide", "remove"}


@pytest.mark.django_db
def test_flagged_comments_are_decided_by_people_by_rules_alone_or_still_open(olivia) -> None:
    channel = ChannelFactory()
    received = london(2025, 8, 5, 10)
    by_officer = CommentFactory(
        channel=channel, received_at=received, status=Comment.Status.DONE, handled_by=olivia
    )
    auto_hidden = CommentFactory(channel=channel, received_at=received, status=Comment.Status.DONE)
    held = CommentFactory(channel=channel, received_at=received, status=Comment.Status.HELD)
    for comment in (by_officer, auto_hidden, held):
        FlagFactory(comment=comment)
    CommentFactory(channel=channel, received_at=received, status=Comment.Status.CLEAN)

    decisions = build_report(PERIOD, now=LATER).decisions

    assert (decisions.by_people, decisions.by_rules_alone, decisions.still_open) == (1, 1, 1)
    assert decisions.total == 3


@pytest.mark.django_db
def test_each_persons_actions_are_counted_from_the_audit_log(olivia, oscar) -> None:
    channel = ChannelFactory(platform="facebook")
    first, second, third, fourth = (CommentFactory(channel=channel) for _ in range(4))
    for comment in (first, second, third):
        FlagFactory(comment=comment)
    do_hide_comment(first, actor=olivia)
    do_hide_comment(second, actor=olivia)
    do_approve_comment(third, actor=oscar)
    do_reply_to_comment(fourth, "Thank you, we have passed this on.", actor=oscar)
    do_escalate_comment(fourth, route("complaints"), actor=oscar)
    with transaction.atomic():  # a rule's event is not a person's action
        record("moderation.comment.hidden", actor=SystemActor.rule("rule x v1"), target=first)

    today = london_today()
    officers = {row.label: row for row in build_report(ReportPeriod(today, today)).officers}

    assert set(officers) == {olivia.label, oscar.label}
    assert officers[olivia.label].counts["moderation.comment.hidden"] == 2
    assert officers[olivia.label].total == 2
    assert officers[oscar.label].counts["moderation.comment.approved"] == 1
    assert officers[oscar.label].counts["moderation.comment.replied"] == 1
    assert officers[oscar.label].counts["moderation.comment.escalated"] == 1
    assert officers[oscar.label].total == 3
