"""Known answers for escalations by route: FOI on time, late, open in time and overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.deadlines import escalation_deadline
from moderation.reports.period import ReportPeriod
from moderation.reports.report import build_report
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import EscalationFactory, london, route

PERIOD = ReportPeriod(dt.date(2025, 8, 18), dt.date(2025, 8, 24))
NOW = london(2025, 10, 1, 12)


@pytest.fixture
def foi_request():
    """An FOI request received on Friday 22 August 2025, before the late summer bank holiday."""
    channel = ChannelFactory(nation="england")
    return CommentFactory(channel=channel, received_at=london(2025, 8, 22, 14))


@pytest.mark.django_db
def test_the_foi_clock_skips_the_bank_holiday(foi_request) -> None:
    # Day zero is Friday 22 August; Monday 25 August does not count; day 20 is Monday 22 September.
    deadline = escalation_deadline(
        route("foi"),
        foi_request.channel,
        posted_at=foi_request.received_at,
        escalated_at=foi_request.received_at,
    )
    assert deadline == london(2025, 9, 22, 23, 59).replace(second=59)


@pytest.mark.django_db
def test_foi_requests_closed_by_the_deadline_are_on_time_and_after_it_late(foi_request) -> None:
    deadline = escalation_deadline(
        route("foi"),
        foi_request.channel,
        posted_at=foi_request.received_at,
        escalated_at=foi_request.received_at,
    )
    opened = london(2025, 8, 22, 15)
    common = {"comment": foi_request, "route": route("foi"), "created_at": opened}
    EscalationFactory(
        **common, deadline_at=deadline, state="closed", closed_at=london(2025, 9, 22, 17)
    )
    EscalationFactory(
        **common, deadline_at=deadline, state="closed", closed_at=london(2025, 9, 23, 9)
    )
    EscalationFactory(**common, deadline_at=deadline, state="open")  # overdue by NOW
    EscalationFactory(**common, deadline_at=london(2025, 10, 20), state="open")  # still in time
    EscalationFactory(**{**common, "created_at": london(2025, 8, 25, 9)}, deadline_at=deadline)

    report = build_report(PERIOD, now=NOW)
    (foi,) = report.escalations

    assert foi.route_key == "foi"
    assert (foi.opened, foi.closed_on_time, foi.closed_late) == (4, 1, 1)
    assert (foi.open_in_time, foi.open_overdue) == (1, 1)
    assert foi.on_time_share == pytest.approx(1 / 3)
    assert report.escalations_overdue == 1
    assert [row.route_key for row in report.statutory] == ["foi"]


@pytest.mark.django_db
def test_each_route_has_its_own_row(foi_request) -> None:
    opened = london(2025, 8, 20, 10)
    for key in ("foi", "subject_access", "safeguarding", "safeguarding"):
        EscalationFactory(comment=foi_request, route=route(key), created_at=opened)
    rows = {row.route_key: row.opened for row in build_report(PERIOD, now=NOW).escalations}
    assert rows == {"foi": 1, "subject_access": 1, "safeguarding": 2}
