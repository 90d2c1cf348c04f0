"""The report's figures per channel: received, flagged, response times, what is past due."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from moderation.models import Channel
from moderation.reports.past_due import PastDue
from moderation.reports.period import (
    FINISHED_STATUSES,
    ReportPeriod,
    comments_in,
    is_flagged,
    share,
)
from moderation.reports.response_times import ResponseTimes, summarise_response


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
