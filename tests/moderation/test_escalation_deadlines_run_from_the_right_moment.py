"""Escalation deadlines, with fixed dates around weekends and bank holidays.

Statutory requests run from when the comment was posted on the platform, which is when the
public body received the request, not when the console fetched or imported it:

- FOI/EIR: 20 working days, the day of receipt being day zero. A working day is any day but a
  weekend, Christmas Day, Good Friday or a bank holiday in *any* part of the UK (FOIA s.10(6));
  under the Scottish Act (FOISA s.73), a bank holiday in Scotland.
- Subject access: one calendar month, from the day of receipt to the corresponding date (or the
  month's last day); a deadline on a weekend or bank holiday moves to the next working day (ICO).

Internal routes (manager, complaints, safeguarding, legal, crisis) run from the escalation, each
by its own target, so a manual escalation is never overdue the moment it is made.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.audit import SystemActor
from moderation.actions.comments import do_escalate_comment
from moderation.actions.evaluation import Verdict, do_apply_verdicts
from moderation.deadlines import escalation_deadline
from moderation.models import Comment, Escalation, EscalationRoute
from rules.engine import Match
from tests.factories import ChannelFactory, CommentFactory
from tests.moderation.reports.factories_reports import london

pytestmark = pytest.mark.django_db


def end_of(year: int, month: int, day: int) -> dt.datetime:
    return london(year, month, day, 23, 59) + dt.timedelta(seconds=59)


def route(key: str) -> EscalationRoute:
    return EscalationRoute.objects.get(key=key)


def test_a_manual_escalation_of_an_old_comment_is_not_overdue_from_the_start(maya) -> None:
    # The comment was posted on Wednesday 2 December; the manager route's target is 24 hours.
    comment = CommentFactory(
        status=Comment.Status.REVIEW,
        created_at=london(2026, 12, 2, 10),
        received_at=london(2026, 12, 2, 10, 5),
    )
    with time_machine.travel(london(2026, 12, 7, 11), tick=False):
        escalation = do_escalate_comment(comment, route("manager"), actor=maya)
    assert escalation.deadline_at == london(2026, 12, 8, 11)


def test_internal_routes_count_their_own_targets_from_the_escalation() -> None:
    channel = ChannelFactory(nation="england")
    posted = london(2026, 12, 1, 9)
    # Friday 18 December: ten working days skip the weekends, Christmas Day, Boxing Day's
    # substitute (Monday 28th) and New Year's Day, and end on Wednesday 6 January.
    friday = london(2026, 12, 18, 15)
    assert escalation_deadline(
        route("complaints"), channel, posted_at=posted, escalated_at=friday
    ) == end_of(2027, 1, 6)
    assert escalation_deadline(
        route("safeguarding"), channel, posted_at=posted, escalated_at=friday
    ) == london(2026, 12, 18, 19)


def test_an_foi_clock_runs_from_posting_not_from_the_import() -> None:
    channel = ChannelFactory(nation="england")
    # Posted Friday 22 August 2025, imported ten days later. Monday 25th is England's bank
    # holiday, so the twentieth working day is Monday 22 September.
    posted = london(2025, 8, 22, 19)
    imported = london(2025, 9, 1, 9)
    assert escalation_deadline(
        route("foi"), channel, posted_at=posted, escalated_at=imported
    ) == end_of(2025, 9, 22)


def test_an_foi_clock_skips_a_bank_holiday_anywhere_in_the_uk() -> None:
    # Posted Monday 16 March 2026. St Patrick's Day (Tue 17, Northern Ireland), Good Friday and
    # Easter Monday are not working days under FOIA, even for an English council: Thursday 16
    # April. Under the Scottish Act only Scotland's holidays count (Good Friday; Easter Monday
    # and St Patrick's Day are working days there): Tuesday 14 April.
    posted = london(2026, 3, 16, 12)
    english = ChannelFactory(nation="england")
    scottish = ChannelFactory(nation="scotland")
    foi = route("foi")
    assert escalation_deadline(foi, english, posted_at=posted, escalated_at=posted) == end_of(
        2026, 4, 16
    )
    assert escalation_deadline(foi, scottish, posted_at=posted, escalated_at=posted) == end_of(
        2026, 4, 14
    )


@pytest.mark.parametrize(
    ("posted", "due"),
    [
        ((2025, 9, 3), (2025, 10, 3)),  # the corresponding date, a Friday
        ((2026, 1, 31), (2026, 3, 2)),  # no 31 February: the 28th, a Saturday: Monday
        ((2026, 4, 25), (2026, 5, 26)),  # 25 May 2026 is the spring bank holiday
        ((2026, 3, 31), (2026, 4, 30)),  # no 31 April: the 30th, a Thursday
    ],
)
def test_a_subject_access_clock_is_one_calendar_month_to_a_working_day(
    posted: tuple[int, int, int], due: tuple[int, int, int]
) -> None:
    channel = ChannelFactory(nation="england")
    moment = london(*posted, 22)
    assert escalation_deadline(
        route("subject_access"), channel, posted_at=moment, escalated_at=moment
    ) == end_of(*due)


def test_a_comment_dated_after_it_arrived_is_timed_from_its_arrival(maya) -> None:
    # A platform clock running ahead must not give the body extra time.
    comment = CommentFactory(
        status=Comment.Status.REVIEW,
        channel=ChannelFactory(nation="england"),
        created_at=london(2025, 9, 10, 12),
        received_at=london(2025, 9, 3, 12),
    )
    with time_machine.travel(london(2025, 9, 4, 9), tick=False):
        escalation = do_escalate_comment(comment, route("subject_access"), actor=maya)
    assert escalation.deadline_at == end_of(2025, 10, 3)


def _routed(route_key: str, outcome: str, category: str) -> Match:
    return Match(
        f"{category}.rule", category, None, 1, category, 4, outcome, route_key, ((0, 3),), "rule"
    )


def test_rules_route_statutory_requests_from_posting_and_others_from_evaluation() -> None:
    channel = ChannelFactory(nation="england")
    foi_request = CommentFactory(
        channel=channel,
        created_at=london(2025, 8, 22, 19),
        received_at=london(2025, 9, 1, 9),
    )
    threat = CommentFactory(
        channel=channel,
        created_at=london(2025, 8, 22, 19),
        received_at=london(2025, 9, 1, 9),
    )
    with time_machine.travel(london(2025, 9, 1, 9, 1), tick=False):
        do_apply_verdicts(
            [
                Verdict(foi_request.pk, [(1, _routed("foi", "route", "foi_request"))]),
                Verdict(threat.pk, [(1, _routed("safeguarding", "escalate", "harassment"))]),
            ],
            actor=SystemActor.system("rules engine"),
        )
    assert Escalation.objects.get(comment=foi_request).deadline_at == end_of(2025, 9, 22)
    assert Escalation.objects.get(comment=threat).deadline_at == london(2025, 9, 1, 13, 1)
