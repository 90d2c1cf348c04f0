"""A hide an officer undid (withdrawn before it was sent, or taken back by an unhide) hid
nothing a committee should count: neither the hidden table nor the platform actions count it, and
the two agree with each other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from moderation.actions import do_hide_comment
from moderation.actions.undo import do_undo_comment_action
from moderation.models import ModerationAction
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import FlagFactory, ModerationActionFactory


def _today() -> ReportPeriod:
    today = timezone.localdate()
    return ReportPeriod(today - dt.timedelta(days=1), today + dt.timedelta(days=1))


@pytest.mark.django_db
def test_a_sent_hide_then_undone_by_an_unhide_is_not_hidden(olivia) -> None:
    channel = ChannelFactory(platform="facebook")
    comment = CommentFactory(channel=channel)
    FlagFactory(comment=comment)
    hide = do_hide_comment(comment, actor=olivia)
    ModerationAction.objects.filter(pk=hide.pk).update(state=ModerationAction.State.SUCCEEDED)
    do_undo_comment_action(comment, "hide", actor=olivia, action_id=hide.pk)

    report = build_report(_today())

    assert [(r.by_rules, r.by_people, r.comments) for r in report.hidden_per_channel] == []
    outcomes = {row.kind: (row.automatic, row.by_people) for row in report.outcomes}
    assert outcomes == {"unhide": (0, 1)}


@pytest.mark.django_db
def test_a_hide_stands_when_its_unhide_failed_and_a_failed_hide_is_no_action(olivia) -> None:
    channel = ChannelFactory(platform="facebook")
    kept, failed = CommentFactory(channel=channel), CommentFactory(channel=channel)
    now = timezone.now()
    ModerationActionFactory(comment=kept, actor=olivia, actor_label=olivia.label, requested_at=now)
    ModerationActionFactory(
        comment=kept,
        kind=ModerationAction.Kind.UNHIDE,
        state=ModerationAction.State.FAILED,
        actor=olivia,
        actor_label=olivia.label,
        requested_at=now + dt.timedelta(minutes=1),
    )
    ModerationActionFactory(comment=failed, state=ModerationAction.State.FAILED, requested_at=now)

    report = build_report(_today())

    assert [(r.by_rules, r.by_people, r.comments) for r in report.hidden_per_channel] == [(0, 1, 1)]
    outcomes = {row.kind: (row.automatic, row.by_people) for row in report.outcomes}
    assert outcomes == {"hide": (0, 1)}


@pytest.mark.django_db
def test_a_block_taken_back_by_an_unblock_is_not_counted(olivia) -> None:
    comment = CommentFactory(channel=ChannelFactory(platform="facebook"))
    now = timezone.now()
    for kind, minutes in ((ModerationAction.Kind.BLOCK, 0), (ModerationAction.Kind.UNBLOCK, 1)):
        ModerationActionFactory(
            comment=comment,
            kind=kind,
            actor=olivia,
            actor_label=olivia.label,
            requested_at=now + dt.timedelta(minutes=minutes),
        )

    outcomes = {row.kind: row.by_people for row in build_report(_today()).outcomes}

    assert outcomes == {"unblock": 1}


@pytest.mark.django_db
def test_the_undone_hide_is_missing_from_the_csv_too(olivia, maya) -> None:
    comment = CommentFactory(channel=ChannelFactory(platform="facebook"))
    hide = do_hide_comment(comment, actor=olivia)
    ModerationAction.objects.filter(pk=hide.pk).update(state=ModerationAction.State.SUCCEEDED)
    do_undo_comment_action(comment, "hide", actor=olivia, action_id=hide.pk)
    client = signed_in(Client(), maya)
    period = _today()
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}

    exported = streamed(
        export(client, "/reports/export.csv", {**query, "table": "hidden_per_channel"})
    ).decode()

    assert exported.lstrip("\ufeff").splitlines() == [
        "Channel,Hidden by a rule,Hidden by an officer,Removed,Comments"
    ]
