"""Time to first action, in monitored hours: the one figure counted in Python, because it needs
each item's channel hours. The (channel, received, first action) tuples come back in one
``values_list`` query."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from moderation.deadlines import monitoring_hours
from moderation.hours import MonitoringHours
from moderation.models import Channel
from moderation.reports.period import ReportPeriod, comments_in, share

# Buckets of monitored time to first action, for the distribution chart.
RESPONSE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("Up to 15 minutes", 15 * 60),
    ("15 minutes to 1 hour", 60 * 60),
    ("1 to 4 hours", 4 * 3600),
    ("4 to 8 hours", 8 * 3600),
    ("8 to 24 hours", 24 * 3600),
    ("More than 24 hours", math.inf),
)


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
