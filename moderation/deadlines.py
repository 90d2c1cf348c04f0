"""Due times (monitored hours), escalation deadlines (working days, calendar months), and the
one definition of *past due* that every page and export uses.

An item's ``due_at`` is when the next thing owed on it is due: its first action (the channel's
response target, in monitored time) until it is escalated, then the earliest deadline among its
open escalations. So a request a rule routed to the FOI team is due in 20 working days, not in
four monitored hours, and "past due" means the same on the report, the escalations page, the
queue and in the CSV.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q

from moderation.connectors.parsing import EARLIEST_TIME
from moderation.hours import MonitoringHours, add_calendar_months, add_working_days
from moderation.models import Channel, Comment, Escalation, EscalationRoute

# Items that still need something from someone (done and clean items need nothing).
OPEN_STATUSES = (
    Comment.Status.NEW,
    Comment.Status.REVIEW,
    Comment.Status.HELD,
    Comment.Status.ESCALATED,
)


def monitoring_hours(channel: Channel) -> MonitoringHours:
    return MonitoringHours(
        start=channel.hours_start,
        end=channel.hours_end,
        days=channel.hours_days,
        nation=channel.nation,
        bank_holidays_monitored=channel.bank_holidays_monitored,
    )


def due_time_for(channel: Channel, received_at: dt.datetime) -> dt.datetime:
    """When the first action is due: the response target counted in monitored time only."""
    target = dt.timedelta(minutes=channel.response_target_minutes)
    return monitoring_hours(channel).add_monitored(received_at, target)


def clock_start(
    route: EscalationRoute, *, posted_at: dt.datetime, escalated_at: dt.datetime
) -> dt.datetime:
    """When a route's deadline starts counting.

    A statutory request was received when it was posted on the platform, whenever the console
    fetched, imported or escalated it; an internal route's target starts with the escalation.
    """
    return posted_at if route.statutory else escalated_at


def escalation_deadline(
    route: EscalationRoute,
    channel: Channel,
    *,
    posted_at: dt.datetime,
    escalated_at: dt.datetime,
) -> dt.datetime:
    """The deadline of an escalation on ``route`` made at ``escalated_at``: the route's target."""
    start = clock_start(route, posted_at=posted_at, escalated_at=escalated_at)
    kind, amount = route.deadline_kind, route.deadline_amount
    if kind == EscalationRoute.DeadlineKind.WORKING_DAYS:
        return add_working_days(
            start, amount, channel.nation, freedom_of_information=route.key == "foi"
        )
    if kind == EscalationRoute.DeadlineKind.CALENDAR_MONTHS:
        return add_calendar_months(start, amount, channel.nation)
    return start + dt.timedelta(hours=amount)


def posted_at(comment: Comment) -> dt.datetime:
    """When the comment was posted, as the platform says; never later than it reached us (a
    platform clock running ahead must not lengthen a statutory deadline). A time the connectors
    would refuse as impossible (stored before they checked) counts as when it reached us."""
    if comment.created_at < EARLIEST_TIME:
        return comment.received_at
    return min(comment.created_at, comment.received_at)


def open_escalations_due_at(comment: Comment) -> dt.datetime | None:
    """The earliest deadline among the comment's open escalations (None: none is open)."""
    found: dt.datetime | None = comment.escalations.filter(state=Escalation.State.OPEN).aggregate(
        due=Min("deadline_at")
    )["due"]
    return found


def past_due(now: dt.datetime) -> Q:
    """Comments past due at ``now``: still open, and what they owe was due before ``now``."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now)


def is_past_due(due_at: dt.datetime | None, status: str, now: dt.datetime) -> bool:
    """``past_due`` for one comment already in memory."""
    return due_at is not None and status in OPEN_STATUSES and due_at < now


def overdue_escalations(now: dt.datetime) -> Q:
    """Escalations open past their deadline: what makes an escalated comment past due."""
    return Q(state=Escalation.State.OPEN, deadline_at__lt=now)


def is_overdue_escalation(state: str, deadline_at: dt.datetime, now: dt.datetime) -> bool:
    """``overdue_escalations`` for one escalation already in memory."""
    return state == Escalation.State.OPEN and deadline_at < now
