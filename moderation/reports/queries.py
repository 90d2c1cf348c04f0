"""The managers' report: every figure for one period, computed in a fixed handful of queries.

Counting is done by the database (``values``/``annotate``/``Count``/``TruncDate``), never one
query per row. The one exception is time to first action, which counts monitored hours only: it
needs each item's channel hours, so the (channel, received, first action) tuples come back in one
``values_list`` query and the arithmetic runs in Python.

Definitions (also in ``docs/reports.md``):

- a comment is *received in the period* when ``received_at`` falls in it (days are London days);
- a comment is *flagged* when a live rule matched it with an outcome other than "record only";
- an outcome is *automatic* when no person asked for it (``ModerationAction.actor`` is empty);
- *time to first action* runs from ``received_at`` to ``first_action_at`` in monitored time only;
- *past due* is a snapshot at report time, as ``moderation.deadlines.past_due`` defines it for
  every page: an open item whose first action was due before now, or, once it is escalated, whose
  earliest open escalation's deadline has passed.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import AuditEvent
from moderation import deadlines
from moderation.deadlines import OPEN_STATUSES, monitoring_hours
from moderation.hours import LONDON, MonitoringHours
from moderation.models import (
    PLATFORM_CHOICES,
    Channel,
    Comment,
    Escalation,
    Flag,
    ModerationAction,
    Organisation,
)
from moderation.names import neutralise_bidi
from rules.models import CATEGORY_CHOICES

CATEGORY_LABELS = dict(CATEGORY_CHOICES)
PLATFORM_LABELS = dict(PLATFORM_CHOICES)
FINISHED_STATUSES = (Comment.Status.DONE, Comment.Status.CLEAN)
OFFENDERS_SHOWN = 20
# What people do, as the audit log names it; the report's per-officer columns, in this order.
OFFICER_EVENTS: dict[str, str] = {
    "moderation.comment.hidden": "Hidden",
    "moderation.comment.removed": "Removed",
    "moderation.comment.replied": "Replied",
    "moderation.comment.approved": "Approved",
    "moderation.comment.ignored": "Ignored",
    "moderation.comment.escalated": "Escalated",
    "moderation.comment.unhidden": "Unhidden",
    "moderation.author.block_requested": "Blocked",
    "moderation.escalation.closed": "Escalations closed",
    "moderation.note.added": "Notes",
    "moderation.comment.action_undone": "Undone",
    "moderation.comment.reopened": "Reopened",
    "moderation.comment.personal_data_revealed": "Personal data revealed",
}
# Buckets of monitored time to first action, for the distribution chart.
RESPONSE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("Up to 15 minutes", 15 * 60),
    ("15 minutes to 1 hour", 60 * 60),
    ("1 to 4 hours", 4 * 3600),
    ("4 to 8 hours", 8 * 3600),
    ("8 to 24 hours", 24 * 3600),
    ("More than 24 hours", math.inf),
)


# --- The period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    """London calendar days ``start``..``end`` inclusive, optionally one channel only."""

    start: dt.date
    end: dt.date
    channel_id: int | None = None

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(0, 0), tzinfo=LONDON)

    @property
    def end_at(self) -> dt.datetime:
        """Exclusive: midnight at the start of the day after ``end``."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=n) for n in range(max(count, 0))]

    @property
    def label(self) -> str:
        if self.start == self.end:
            return long_date(self.start)
        return f"{long_date(self.start)} to {long_date(self.end)}"


def long_date(day: dt.date) -> str:
    """ "5 August 2026": the form a committee paper uses (no platform-specific strftime flags)."""
    return f"{day.day} {day:%B %Y}"


def comments_in(period: ReportPeriod) -> QuerySet[Comment]:
    comments = Comment.objects.filter(
        received_at__gte=period.start_at, received_at__lt=period.end_at
    )
    if period.channel_id is not None:
        comments = comments.filter(channel_id=period.channel_id)
    return comments


def acting_flags() -> QuerySet[Flag]:
    """Live flags that asked for something: shadow and record-only matches do not flag a comment."""
    return Flag.objects.filter(shadow=False).exclude(outcome="none")


def is_flagged() -> Exists:
    return Exists(acting_flags().filter(comment=OuterRef("pk")))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- Comments received, by day and category -------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    received: int
    flagged: int
    by_category: dict[str, int]

    @property
    def flagged_share(self) -> float | None:
        return share(self.flagged, self.received)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    comments: int
    flagged_share: float | None  # of all flagged comments

    @property
    def label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)


def received_by_day(period: ReportPeriod) -> list[DayRow]:
    """Every day of the period (zeros included), with flagged comments per category."""
    totals = {
        row["day"]: row
        for row in comments_in(period)
        .annotate(day=TruncDate("received_at", tzinfo=LONDON), flagged=is_flagged())
        .values("day")
        .annotate(received=Count("id"), flagged_count=Count("id", filter=Q(flagged=True)))
        .order_by("day")
    }
    per_category: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in (
        acting_flags()
        .filter(comment__in=comments_in(period))
        .annotate(day=TruncDate("comment__received_at", tzinfo=LONDON))
        .values("day", "category")
        .annotate(comments=Count("comment", distinct=True))
        .order_by()
    ):
        per_category[row["day"]][row["category"]] = row["comments"]
    rows = []
    for day in period.days:
        found: Mapping[str, Any] = totals.get(day, {})
        rows.append(
            DayRow(
                day=day,
                received=found.get("received", 0),
                flagged=found.get("flagged_count", 0),
                by_category=dict(sorted(per_category.get(day, {}).items())),
            )
        )
    return rows


def categories_of(days: Sequence[DayRow]) -> list[CategoryRow]:
    """Category totals from the day rows: a comment is received on one day only, so sums add up."""
    totals: dict[str, int] = defaultdict(int)
    for day in days:
        for category, count in day.by_category.items():
            totals[category] += count
    flagged = sum(day.flagged for day in days)
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [CategoryRow(category, count, share(count, flagged)) for category, count in ordered]


# --- Who decided: rules or people ------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    kind: str
    label: str
    automatic: int
    by_people: int

    @property
    def total(self) -> int:
        return self.automatic + self.by_people


@dataclass(frozen=True)
class Decisions:
    """What became of the period's flagged comments."""

    by_people: int
    by_rules_alone: int
    still_open: int

    @property
    def total(self) -> int:
        return self.by_people + self.by_rules_alone + self.still_open


def platform_outcomes(period: ReportPeriod) -> list[OutcomeRow]:
    """Platform actions requested in the period, automatic (a rule) versus by a person.

    Cancelled actions (undone before they were sent) never reached the platform: not counted.
    """
    actions = ModerationAction.objects.filter(
        requested_at__gte=period.start_at, requested_at__lt=period.end_at
    ).exclude(state=ModerationAction.State.CANCELLED)
    if period.channel_id is not None:
        actions = actions.filter(channel_id=period.channel_id)
    found = {
        row["kind"]: row
        for row in actions.values("kind")
        .annotate(
            automatic=Count("id", filter=Q(actor__isnull=True)),
            by_people=Count("id", filter=Q(actor__isnull=False)),
        )
        .order_by()
    }
    return [
        OutcomeRow(kind, str(label), found[kind]["automatic"], found[kind]["by_people"])
        for kind, label in ModerationAction.Kind.choices
        if kind in found
    ]


def decisions(period: ReportPeriod) -> Decisions:
    counts = (
        comments_in(period)
        .filter(is_flagged())
        .aggregate(
            by_people=Count("id", filter=Q(handled_by__isnull=False)),
            by_rules_alone=Count(
                "id", filter=Q(handled_by__isnull=True, status__in=FINISHED_STATUSES)
            ),
            still_open=Count("id", filter=Q(handled_by__isnull=True, status__in=OPEN_STATUSES)),
        )
    )
    return Decisions(counts["by_people"], counts["by_rules_alone"], counts["still_open"])


# --- Actions per officer ----------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerRow:
    actor_id: int | None
    label: str
    counts: dict[str, int]  # event type -> count, every OFFICER_EVENTS key present

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def actions_per_officer(period: ReportPeriod) -> list[OfficerRow]:
    """What each person did in the period, from the audit log (the record of who did what)."""
    events = AuditEvent.objects.filter(
        actor_kind=AuditEvent.ActorKind.USER,
        occurred_at__gte=period.start_at,
        occurred_at__lt=period.end_at,
        event_type__in=list(OFFICER_EVENTS),
    )
    if period.channel_id is not None:
        events = events.filter(channel_id=period.channel_id)
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OFFICER_EVENTS, 0))
    labels: dict[int | None, tuple[int, str]] = {}
    for row in events.values("actor_id", "actor_label", "event_type").annotate(n=Count("id")):
        actor_id = row["actor_id"]
        counts[actor_id][row["event_type"]] += row["n"]
        # A person's label can change (a new surname); name them as most of their events do.
        if row["n"] > labels.get(actor_id, (0, ""))[0]:
            labels[actor_id] = (row["n"], row["actor_label"])
    rows = [OfficerRow(actor_id, labels[actor_id][1], counts[actor_id]) for actor_id in counts]
    return sorted(rows, key=lambda row: (-row.total, row.label))


# --- Time to first action, in monitored hours --------------------------------------------------


@dataclass(frozen=True)
class ResponseTimes:
    count: int
    median_seconds: float | None
    p90_seconds: float | None
    within_target: int
    buckets: tuple[tuple[str, int], ...] = ()

    @property
    def within_target_share(self) -> float | None:
        return share(self.within_target, self.count)


def percentile(ordered: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with ``fraction`` of the items at or below it."""
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise_response(seconds_and_targets: Iterable[tuple[float, float]]) -> ResponseTimes:
    """From (monitored seconds to first action, target seconds) pairs."""
    pairs = list(seconds_and_targets)
    ordered = sorted(seconds for seconds, _ in pairs)
    buckets = []
    lower = -1.0
    for label, upper in RESPONSE_BUCKETS:
        buckets.append((label, sum(1 for seconds in ordered if lower < seconds <= upper)))
        lower = upper
    return ResponseTimes(
        count=len(ordered),
        median_seconds=statistics.median(ordered) if ordered else None,
        p90_seconds=percentile(ordered, 0.9),
        within_target=sum(1 for seconds, target in pairs if seconds <= target),
        buckets=tuple(buckets),
    )


def response_seconds(
    period: ReportPeriod, channels: dict[int, Channel]
) -> dict[int, list[tuple[float, float]]]:
    """Per channel: (monitored seconds from receipt to first action, target seconds) per item."""
    hours: dict[int, MonitoringHours] = {pk: monitoring_hours(c) for pk, c in channels.items()}
    result: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for channel_id, received_at, first_action_at in (
        comments_in(period)
        .filter(first_action_at__isnull=False)
        .values_list("channel_id", "received_at", "first_action_at")
        .iterator(chunk_size=5000)
    ):
        channel = channels[channel_id]
        if first_action_at is None:  # excluded by the filter; this tells the type checker
            continue
        seconds = hours[channel_id].monitored_seconds_between(received_at, first_action_at)
        result[channel_id].append((seconds, channel.response_target_minutes * 60.0))
    return result


# --- Per channel, and what is past due ---------------------------------------------------------


@dataclass(frozen=True)
class ChannelRow:
    channel_id: int
    name: str
    platform: str
    received: int
    flagged: int
    awaiting_first_action: int
    response: ResponseTimes
    target_minutes: int
    past_due: int

    @property
    def flagged_share(self) -> float | None:
        return share(self.flagged, self.received)

    @property
    def label(self) -> str:
        """Names repeat across platforms ("Exampleshire County Council" on three of them)."""
        return f"{self.name} ({self.platform})"


@dataclass(frozen=True)
class PastDue:
    """Items past due at ``as_at`` (``moderation.deadlines.past_due``): a snapshot, not limited
    to the period. An escalated item is past due when its escalation's deadline has passed."""

    as_at: dt.datetime
    total: int
    by_status: dict[str, int]
    by_channel: dict[int, int]
    oldest_due_at: dt.datetime | None

    @property
    def escalated(self) -> int:
        """Past their escalation's deadline."""
        return self.by_status.get(Comment.Status.ESCALATED, 0)

    @property
    def awaiting_first_action(self) -> int:
        return self.total - self.escalated


def past_due(channel_id: int | None, now: dt.datetime) -> PastDue:
    items = Comment.objects.filter(deadlines.past_due(now))
    if channel_id is not None:
        items = items.filter(channel_id=channel_id)
    by_status: dict[str, int] = defaultdict(int)
    by_channel: dict[int, int] = defaultdict(int)
    oldest: dt.datetime | None = None
    for row in (
        items.values("channel_id", "status")
        .annotate(n=Count("id"), oldest=Min("due_at"))
        .order_by()
    ):
        by_status[row["status"]] += row["n"]
        by_channel[row["channel_id"]] += row["n"]
        oldest = row["oldest"] if oldest is None else min(oldest, row["oldest"])
    return PastDue(now, sum(by_status.values()), dict(by_status), dict(by_channel), oldest)


def per_channel(
    period: ReportPeriod,
    channels: dict[int, Channel],
    seconds: dict[int, list[tuple[float, float]]],
    overdue: PastDue,
) -> list[ChannelRow]:
    counts = {
        row["channel_id"]: row
        for row in comments_in(period)
        .annotate(flagged=is_flagged())
        .values("channel_id")
        .annotate(
            received=Count("id"),
            flagged_count=Count("id", filter=Q(flagged=True)),
            awaiting=Count(
                "id",
                filter=Q(first_action_at__isnull=True, due_at__isnull=False)
                & ~Q(status__in=FINISHED_STATUSES),
            ),
        )
        .order_by()
    }
    shown = set(counts) | set(overdue.by_channel)
    if period.channel_id is not None:
        shown.add(period.channel_id)
    rows = []
    for channel_id in shown:
        channel = channels.get(channel_id)
        if channel is None:
            continue
        found: Mapping[str, Any] = counts.get(channel_id, {})
        rows.append(
            ChannelRow(
                channel_id=channel_id,
                name=channel.shown_name,
                platform=channel.where,
                received=found.get("received", 0),
                flagged=found.get("flagged_count", 0),
                awaiting_first_action=found.get("awaiting", 0),
                response=summarise_response(seconds.get(channel_id, [])),
                target_minutes=channel.response_target_minutes,
                past_due=overdue.by_channel.get(channel_id, 0),
            )
        )
    return sorted(rows, key=lambda row: (-row.received, row.name))


# --- Hidden and removed, per channel and reason ------------------------------------------------

NO_RULE_LABEL = "No rule matched (an officer's judgement)"
HIDING_KINDS = (ModerationAction.Kind.HIDE, ModerationAction.Kind.REMOVE)
# A hide that was cancelled before it was sent, or failed for good, hid nothing.
NOT_HIDDEN_STATES = (ModerationAction.State.CANCELLED, ModerationAction.State.FAILED)


@dataclass(frozen=True)
class HiddenRow:
    """Comments hidden or removed on one channel (for one reason), each comment counted once
    per column: a comment a rule held and an officer then removed is in both."""

    channel_id: int
    label: str  # the channel, with its platform
    reason: str | None  # a category; None when no rule asked for anything
    by_rules: int
    by_people: int
    removed: int
    comments: int

    @property
    def reason_label(self) -> str:
        return (
            NO_RULE_LABEL if self.reason is None else CATEGORY_LABELS.get(self.reason, self.reason)
        )


def _hiding_actions(period: ReportPeriod) -> QuerySet[ModerationAction]:
    actions = ModerationAction.objects.filter(
        kind__in=HIDING_KINDS,
        comment__isnull=False,
        requested_at__gte=period.start_at,
        requested_at__lt=period.end_at,
    ).exclude(state__in=NOT_HIDDEN_STATES)
    if period.channel_id is not None:
        actions = actions.filter(channel_id=period.channel_id)
    return actions


def _hidden_counts() -> dict[str, Count]:
    hide, person = Q(kind=ModerationAction.Kind.HIDE), Q(actor__isnull=False)
    return {
        "by_rules": Count("comment_id", distinct=True, filter=hide & ~person),
        "by_people": Count("comment_id", distinct=True, filter=hide & person),
        "removed": Count("comment_id", distinct=True, filter=Q(kind=ModerationAction.Kind.REMOVE)),
        "comments": Count("comment_id", distinct=True),
    }


def hidden_per_channel(
    period: ReportPeriod, channels: dict[int, Channel]
) -> tuple[list[HiddenRow], list[HiddenRow]]:
    """(per channel, per channel and reason): hides and removals requested in the period.

    The reason is the category of each live flag that asked for something (record-only and
    shadow matches are not reasons); a comment with several is counted under each.
    """
    actions = _hiding_actions(period)
    totals = actions.values("channel_id").annotate(**_hidden_counts()).order_by()
    reasons = (
        actions.annotate(
            acting=FilteredRelation(
                "comment__flags",
                condition=Q(comment__flags__shadow=False) & ~Q(comment__flags__outcome="none"),
            )
        )
        .values("channel_id", "acting__category")
        .annotate(**_hidden_counts())
        .order_by()
    )

    def row(found: Mapping[str, Any], reason: str | None = None) -> HiddenRow:
        channel = channels.get(found["channel_id"])
        return HiddenRow(
            channel_id=found["channel_id"],
            label=str(channel) if channel is not None else f"Channel {found['channel_id']}",
            reason=reason,
            by_rules=found["by_rules"],
            by_people=found["by_people"],
            removed=found["removed"],
            comments=found["comments"],
        )

    per_channel = sorted((row(found) for found in totals), key=lambda r: (-r.comments, r.label))
    order = {r.channel_id: index for index, r in enumerate(per_channel)}
    by_reason = sorted(
        (row(found, found["acting__category"]) for found in reasons),
        key=lambda r: (order.get(r.channel_id, 0), r.reason is None, -r.comments, r.reason_label),
    )
    return per_channel, by_reason


# --- Escalations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationRow:
    route_key: str
    route_name: str
    opened: int
    closed_on_time: int
    closed_late: int
    open_in_time: int
    open_overdue: int

    @property
    def on_time_share(self) -> float | None:
        """Of escalations whose outcome is known (closed, or open past the deadline)."""
        known = self.closed_on_time + self.closed_late + self.open_overdue
        return share(self.closed_on_time, known)


def escalations_by_route(period: ReportPeriod, now: dt.datetime) -> list[EscalationRow]:
    escalations = Escalation.objects.filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    )
    if period.channel_id is not None:
        escalations = escalations.filter(comment__channel_id=period.channel_id)
    closed = Q(state=Escalation.State.CLOSED)
    still_open = Q(state=Escalation.State.OPEN)
    overdue = deadlines.overdue_escalations(now)
    rows = (
        escalations.values("route__key", "route__name")
        .annotate(
            opened=Count("id"),
            closed_on_time=Count("id", filter=closed & Q(closed_at__lte=F("deadline_at"))),
            closed_late=Count("id", filter=closed & Q(closed_at__gt=F("deadline_at"))),
            open_in_time=Count("id", filter=still_open & ~overdue),
            open_overdue=Count("id", filter=overdue),
        )
        .order_by("route__name")
    )
    return [
        EscalationRow(
            route_key=row["route__key"],
            route_name=neutralise_bidi(row["route__name"]),
            opened=row["opened"],
            closed_on_time=row["closed_on_time"],
            closed_late=row["closed_late"],
            open_in_time=row["open_in_time"],
            open_overdue=row["open_overdue"],
        )
        for row in rows
    ]


# --- Rules and repeat offenders -----------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    rule_key: str
    rule_name: str
    category: str
    hits: int
    reversed: int

    @property
    def reversal_rate(self) -> float | None:
        return share(self.reversed, self.hits)

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)


def rule_hits(period: ReportPeriod) -> list[RuleRow]:
    """Live matches per rule on the period's comments, and how many an officer undid."""
    rows = (
        Flag.objects.filter(shadow=False, comment__in=comments_in(period))
        .values("rule_key", "category")
        .annotate(
            rule_name=Max("rule_name"),
            hits=Count("id"),
            reversed_count=Count("id", filter=Q(reversed=True)),
        )
        .order_by("-hits", "rule_key")
    )
    return [
        RuleRow(
            row["rule_key"], row["rule_name"], row["category"], row["hits"], row["reversed_count"]
        )
        for row in rows
    ]


@dataclass(frozen=True)
class OffenderRow:
    author_id: int
    name: str
    handle: str
    platform: str
    flagged_comments: int
    strikes: int
    blocked: bool
    block_recommended: bool


def repeat_offenders(period: ReportPeriod, strike_threshold: int) -> list[OffenderRow]:
    """Authors with two or more flagged comments in the period, or two or more strikes."""
    rows = (
        comments_in(period)
        .filter(is_flagged())
        .values(
            "author_id",
            "author__display_name",
            "author__handle",
            "author__platform",
            "author__strikes",
            "author__blocked",
        )
        .annotate(flagged=Count("id"))
        .filter(Q(flagged__gte=2) | Q(author__strikes__gte=2))
        .order_by("-flagged", "-author__strikes", "author_id")[:OFFENDERS_SHOWN]
    )
    return [
        OffenderRow(
            author_id=row["author_id"],
            name=neutralise_bidi(row["author__display_name"] or row["author__handle"]),
            handle=neutralise_bidi(row["author__handle"]),
            platform=PLATFORM_LABELS.get(row["author__platform"], row["author__platform"]),
            flagged_comments=row["flagged"],
            strikes=row["author__strikes"],
            blocked=row["author__blocked"],
            block_recommended=not row["author__blocked"]
            and row["author__strikes"] >= strike_threshold,
        )
        for row in rows
    ]


# --- The whole report ------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    period: ReportPeriod
    generated_at: dt.datetime
    organisation_name: str
    channel_name: str  # "All channels" when not limited to one
    days: list[DayRow]
    categories: list[CategoryRow]
    outcomes: list[OutcomeRow]
    decisions: Decisions
    officers: list[OfficerRow]
    response: ResponseTimes
    channels: list[ChannelRow]
    hidden_per_channel: list[HiddenRow]
    hidden_by_reason: list[HiddenRow]
    past_due: PastDue
    escalations: list[EscalationRow]
    rules: list[RuleRow]
    offenders: list[OffenderRow]
    officer_columns: dict[str, str] = field(default_factory=lambda: dict(OFFICER_EVENTS))

    @property
    def received(self) -> int:
        return sum(day.received for day in self.days)

    @property
    def flagged(self) -> int:
        return sum(day.flagged for day in self.days)

    @property
    def flagged_share(self) -> float | None:
        return share(self.flagged, self.received)

    @property
    def escalations_overdue(self) -> int:
        return sum(row.open_overdue for row in self.escalations)

    @property
    def statutory(self) -> list[EscalationRow]:
        """The routes with a legal clock: FOI/EIR and subject access."""
        return [row for row in self.escalations if row.route_key in ("foi", "subject_access")]


def build_report(period: ReportPeriod, now: dt.datetime | None = None) -> Report:
    now = now or timezone.now()
    organisation = Organisation.current()
    channels = {channel.pk: channel for channel in Channel.objects.all()}
    seconds = response_seconds(period, channels)
    overdue = past_due(period.channel_id, now)
    days = received_by_day(period)
    selected = channels.get(period.channel_id) if period.channel_id is not None else None
    hidden, hidden_reasons = hidden_per_channel(period, channels)
    return Report(
        period=period,
        generated_at=now,
        organisation_name=organisation.name,
        channel_name=str(selected) if selected is not None else "All channels",
        days=days,
        categories=categories_of(days),
        outcomes=platform_outcomes(period),
        decisions=decisions(period),
        officers=actions_per_officer(period),
        response=summarise_response(pair for pairs in seconds.values() for pair in pairs),
        channels=per_channel(period, channels, seconds, overdue),
        hidden_per_channel=hidden,
        hidden_by_reason=hidden_reasons,
        past_due=overdue,
        escalations=escalations_by_route(period, now),
        rules=rule_hits(period),
        offenders=repeat_offenders(period, organisation.strike_threshold),
    )
