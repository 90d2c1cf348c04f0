"""One definition of past due, and every place that counts it agrees on the same world.

The world, built by the real actions at fixed times: requests a rule routed to the FOI team (in
time: 20 working days), a threat a rule sent to safeguarding (4 hours: overdue), a comment an
officer escalated to a manager this morning (in time), items to review past and before their
due time, and a finished one. Three items are past due: two awaiting a first action and the
safeguarding escalation. The report (headline, per channel, past-due tables), its CSV, the
escalations page and the queue all say so.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine
from django.test import Client

from accounts.audit import SystemActor
from moderation.actions.comments import do_escalate_comment
from moderation.actions.evaluation import Verdict, do_apply_verdicts
from moderation.console.queries import QueueFilters, filtered
from moderation.console.status import is_overdue
from moderation.deadlines import past_due
from moderation.models import Comment, EscalationRoute
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from rules.engine import Match
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import london

pytestmark = pytest.mark.django_db

# Tuesday 8 December 2026, mid-morning; the comments arrived on Tuesday 1 December.
NOW = london(2026, 12, 8, 10)
ARRIVED = london(2026, 12, 1, 9)
PERIOD = ReportPeriod(NOW.date().replace(day=1), NOW.date())


def _match(route: str, outcome: str, category: str) -> Match:
    return Match(f"{category}.rule", category, None, 1, category, 3, outcome, route, (), "rule")


@pytest.fixture
def world(maya):
    channel = ChannelFactory(name="Exampleshire County Council")
    arrived = {"channel": channel, "created_at": ARRIVED, "received_at": ARRIVED}
    foi_requests = [CommentFactory(**arrived) for _ in range(3)]
    threat = CommentFactory(**arrived)
    to_review = [CommentFactory(**arrived) for _ in range(3)]
    with time_machine.travel(ARRIVED, tick=False):
        do_apply_verdicts(
            [Verdict(c.pk, [(1, _match("foi", "route", "foi_request"))]) for c in foi_requests]
            + [Verdict(threat.pk, [(1, _match("safeguarding", "escalate", "harassment"))])]
            + [Verdict(c.pk, [(1, _match("", "review", "abuse"))]) for c in to_review],
            actor=SystemActor.system("rules engine"),
        )
    # The third to-review item arrived later: its first action is not due yet.
    Comment.objects.filter(pk=to_review[2].pk).update(due_at=london(2026, 12, 8, 14))
    CommentFactory(channel=channel, status=Comment.Status.DONE, due_at=ARRIVED)
    manual = CommentFactory(channel=channel, status=Comment.Status.REVIEW, due_at=ARRIVED)
    with time_machine.travel(london(2026, 12, 8, 9), tick=False):
        do_escalate_comment(manual, EscalationRoute.objects.get(key="manager"), actor=maya)
    return {"past_due": {threat.pk, to_review[0].pk, to_review[1].pk}, "threat": threat.pk}


def test_the_report_counts_three(world) -> None:
    report = build_report(PERIOD, now=NOW)
    assert report.past_due.total == 3
    assert report.past_due.by_status == {"review": 2, "escalated": 1}
    assert (report.past_due.awaiting_first_action, report.past_due.escalated) == (2, 1)
    assert sum(row.past_due for row in report.channels) == 3
    foi = next(row for row in report.escalations if row.route_key == "foi")
    assert (foi.open_in_time, foi.open_overdue) == (3, 0)
    assert report.escalations_overdue == 1
    assert (
        set(Comment.objects.filter(past_due(NOW)).values_list("pk", flat=True))
        == (world["past_due"])
    )


def test_the_report_page_and_its_csv_say_three(world, maya) -> None:
    with time_machine.travel(NOW, tick=False):
        client = signed_in(Client(), maya)
        page = client.get("/reports/", {"start": "2026-12-01", "end": "2026-12-08"}).content
        exported = streamed(
            export(client, "/reports/export.csv", {"start": "2026-12-01", "end": "2026-12-08"})
        )
    headline = re.search(
        r"<dt>Past due now</dt>\s*<dd><span class=\"headline-value\">(\d+)</span>"
        r"<span class=\"headline-detail\">([^<]*)</span>",
        page.decode(),
    )
    assert headline is not None
    assert headline.group(1) == "3"
    assert "2 awaiting a first action, 1 past its escalation deadline" in headline.group(2)
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    by_status = rows[rows.index(["Past due, by status"]) + 2 :][:2]
    assert sorted(by_status) == [["Escalated", "1"], ["To review", "2"]]
    channel_table = rows[rows.index(["Per channel"]) + 1 :]
    header, first = channel_table[0], channel_table[1]
    assert first[header.index("Past due now")] == "3"


def test_the_escalations_page_marks_only_the_overdue_one(world, olivia) -> None:
    with time_machine.travel(NOW, tick=False):
        response = signed_in(Client(), olivia).get("/escalations/")
    assert response.context["overdue_count"] == 1
    overdue = {row["escalation"].comment_id for row in response.context["rows"] if row["overdue"]}
    assert overdue == {world["threat"]}
    assert len(response.context["rows"]) == 5  # three FOI, safeguarding, manager


def test_the_queue_marks_and_filters_the_same_items_overdue(world) -> None:
    marked = {c.pk for c in Comment.objects.all() if is_overdue(c.due_at, c.status, now=NOW)}
    assert marked == world["past_due"]
    with time_machine.travel(NOW, tick=False):
        listed = set(filtered(QueueFilters(tab="all", overdue=True)).values_list("pk", flat=True))
    assert listed == world["past_due"]
