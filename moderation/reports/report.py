"""The managers' report: every figure for one period, computed in a fixed handful of queries, one
module per section (what the figures mean: ``moderation.reports.period``).

Counting is done by the database (``values``/``annotate``/``Count``/``TruncDate``), never one
query per row. The one exception is time to first action, which counts monitored hours only
(``moderation.reports.response_times``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from moderation.models import Channel, Organisation
from moderation.reports.channels import ChannelRow, per_channel
from moderation.reports.decisions import Decisions, OutcomeRow, decisions, platform_outcomes
from moderation.reports.escalations import EscalationRow, escalations_by_route
from moderation.reports.hidden import HiddenRow, hidden_per_channel
from moderation.reports.offenders import OffenderRow, repeat_offenders
from moderation.reports.officers import OFFICER_EVENTS, OfficerRow, actions_per_officer
from moderation.reports.past_due import PastDue, past_due
from moderation.reports.period import ReportPeriod, share
from moderation.reports.received import CategoryRow, DayRow, categories_of, received_by_day
from moderation.reports.response_times import ResponseTimes, response_seconds, summarise_response
from moderation.reports.rule_hits import RuleRow, rule_hits


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
