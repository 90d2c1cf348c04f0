"""Known answers for the question a committee asks: how many comments were hidden on each
channel, for what reason, and by a rule or by an officer (and how many were removed)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from moderation.models import ModerationAction
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from moderation.reports.sections import report_sections
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import FlagFactory, ModerationActionFactory, london

PERIOD = ReportPeriod(dt.date(2025, 8, 4), dt.date(2025, 8, 10))
LATER = london(2025, 9, 1)
IN_PERIOD = london(2025, 8, 5, 10)
HIDE, REMOVE = ModerationAction.Kind.HIDE, ModerationAction.Kind.REMOVE


@pytest.fixture
def hidden(olivia):
    facebook = ChannelFactory(
        name="Exampleshire County Council", platform="facebook", handle="@exampleshire"
    )
    youtube = ChannelFactory(
        name="Exampleshire County Council", platform="youtube", handle="@exampleshire"
    )

    def comment(channel, *categories: str, outcome: str = "hold"):
        made = CommentFactory(channel=channel, received_at=IN_PERIOD)
        for category in categories:
            FlagFactory(comment=made, category=category, outcome=outcome)
        return made

    def act(made, kind=HIDE, person=None, **fields):
        return ModerationActionFactory(
            comment=made,
            kind=kind,
            requested_at=IN_PERIOD,
            actor=person,
            actor_label=person.label if person else "rule abuse.profanity v1 (Swearing)",
            **fields,
        )

    # Facebook: two abusive comments held by a rule; one of them, also spam, later removed by
    # Olivia; one comment hidden by Olivia with no rule matched; a hide she cancelled in time.
    abusive = comment(facebook, "abuse")
    act(abusive)
    abusive_spam = comment(facebook, "abuse", "spam")
    act(abusive_spam)
    act(abusive_spam, REMOVE, olivia)
    act(comment(facebook), person=olivia)
    act(comment(facebook, "abuse"), person=olivia, state=ModerationAction.State.CANCELLED)
    # A record-only match is not a reason: that comment counts as "no rule matched".
    act(comment(facebook, "off_topic", outcome="none"), person=olivia)
    # YouTube: personal data held by a rule, and a hide that failed for good (never hidden).
    act(comment(youtube, "personal_data"))
    act(comment(youtube, "abuse"), state=ModerationAction.State.FAILED)
    # Outside the period.
    ModerationActionFactory(comment=comment(youtube, "abuse"), requested_at=london(2025, 8, 12, 9))
    return {"facebook": facebook, "youtube": youtube}


@pytest.mark.django_db
def test_hidden_comments_are_counted_per_channel(hidden) -> None:
    rows = {row.channel_id: row for row in build_report(PERIOD, now=LATER).hidden_per_channel}
    facebook, youtube = rows[hidden["facebook"].pk], rows[hidden["youtube"].pk]
    assert facebook.label == "Exampleshire County Council (Facebook, @exampleshire)"
    assert (facebook.by_rules, facebook.by_people, facebook.removed, facebook.comments) == (
        2,
        2,
        1,
        4,
    )
    assert (youtube.by_rules, youtube.by_people, youtube.removed, youtube.comments) == (1, 0, 0, 1)


@pytest.mark.django_db
def test_each_channel_is_broken_down_by_reason(hidden) -> None:
    rows = build_report(PERIOD, now=LATER).hidden_by_reason
    facebook = {
        row.reason_label: (row.by_rules, row.by_people, row.removed, row.comments)
        for row in rows
        if row.channel_id == hidden["facebook"].pk
    }
    assert facebook == {
        "Abuse": (2, 0, 1, 2),
        "Spam": (1, 0, 1, 1),
        "No rule matched (an officer's judgement)": (0, 2, 0, 2),
    }
    youtube = [row for row in rows if row.channel_id == hidden["youtube"].pk]
    assert [(r.reason_label, r.comments) for r in youtube] == [("Personal data", 1)]


@pytest.mark.django_db
def test_the_table_is_in_the_page_the_paper_and_the_csv(hidden, maya) -> None:
    sections = {s.key: s for s in report_sections(build_report(PERIOD, now=LATER))}
    tables = {t.key: t for t in sections["hidden"].tables}
    assert tables["hidden_per_channel"].columns == [
        "Channel",
        "Hidden by a rule",
        "Hidden by an officer",
        "Removed",
        "Comments",
    ]
    assert tables["hidden_by_reason"].columns[:2] == ["Channel", "Reason"]
    client = signed_in(Client(), maya)
    query = {"start": "2025-08-04", "end": "2025-08-10"}
    for address in ("/reports/", "/reports/print/"):
        page = client.get(address, query).content.decode()
        assert "Hidden and removed, per channel and reason" in page
        assert "No rule matched (an officer&#x27;s judgement)" in page
    exported = export(client, "/reports/export.csv", {**query, "table": "hidden_by_reason"})
    rows = list(csv.reader(io.StringIO(streamed(exported).decode("utf-8-sig"))))
    assert rows[0] == [
        "Channel",
        "Reason",
        "Hidden by a rule",
        "Hidden by an officer",
        "Removed",
        "Comments",
    ]
    assert [
        "Exampleshire County Council (Facebook, @exampleshire)",
        "abuse",
        "2",
        "0",
        "1",
        "2",
    ] in rows
    assert [
        "Exampleshire County Council (YouTube, @exampleshire)",
        "personal_data",
        "1",
        "0",
        "0",
        "1",
    ] in rows
