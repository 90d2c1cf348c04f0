"""Known answers for per-rule hits and the share of outcomes officers undid."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.actions import do_approve_comment
from moderation.reports.forms import london_today
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import FlagFactory, london

PERIOD = ReportPeriod(dt.date(2025, 8, 4), dt.date(2025, 8, 10))


@pytest.mark.django_db
def test_one_reversal_in_four_hits_is_a_quarter() -> None:
    channel = ChannelFactory()
    for number in range(4):
        comment = CommentFactory(channel=channel, received_at=london(2025, 8, 5, 10))
        FlagFactory(comment=comment, rule_key="abuse.profanity", reversed=number == 0)
    for _ in range(2):
        comment = CommentFactory(channel=channel, received_at=london(2025, 8, 6, 10))
        FlagFactory(comment=comment, rule_key="spam.links", rule_name="Link spam", category="spam")
    shadowed = CommentFactory(channel=channel, received_at=london(2025, 8, 6, 10))
    FlagFactory(comment=shadowed, rule_key="abuse.profanity", shadow=True, reversed=True)

    rules = {row.rule_key: row for row in build_report(PERIOD, now=london(2025, 9, 1)).rules}

    assert (rules["abuse.profanity"].hits, rules["abuse.profanity"].reversed) == (4, 1)
    assert rules["abuse.profanity"].reversal_rate == pytest.approx(0.25)
    assert (rules["spam.links"].hits, rules["spam.links"].reversal_rate) == (2, 0.0)
    assert rules["spam.links"].category_label == "Spam"


@pytest.mark.django_db
def test_an_officer_approving_a_held_comment_reverses_its_rule(olivia) -> None:
    held = CommentFactory(channel=ChannelFactory(platform="facebook"), status="held")
    FlagFactory(comment=held, rule_key="abuse.profanity")
    kept = CommentFactory(channel=held.channel, status="held")
    FlagFactory(comment=kept, rule_key="abuse.profanity")
    do_approve_comment(held, actor=olivia)

    today = london_today()
    (row,) = build_report(ReportPeriod(today, today)).rules

    assert (row.hits, row.reversed) == (2, 1)
    assert row.reversal_rate == pytest.approx(0.5)
