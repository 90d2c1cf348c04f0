"""Comment spikes: how busy each channel's last hour was against its usual, and which spikes are
open (recorded by ``moderation.actions.spikes``, emailed by ``moderation.emails``).

A spike is an hour in which a channel received far more comments than usual: more than
``SPIKE_ALERT_MULTIPLE`` (default 3) times its usual hourly rate, and at least
``SPIKE_ALERT_MIN_COMMENTS`` (default 10) comments. "Usual" is the larger of

- the median number of comments in the same clock hour on each of the past 28 days (this follows
  the daily rhythm: a busy lunchtime is not a spike), and
- the mean hourly number over the past seven days (so a channel quiet at that hour on most days
  still needs a real jump),

counted by when comments were written (``created_at``), so a backfill of old comments is not a
spike. A channel with no comment older than a week has no "usual" yet and is not judged.

Each spike is recorded once in the audit log (``moderation.spike.detected``) and emailed once to
the crisis route; when the hourly count falls back, ``moderation.spike.ended`` closes it. The
audit log is the record of open spikes: a channel's spike is open while its latest spike event is
a detection. Emails never contain comment text, only counts, names and links to the console."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.models import Channel, Comment

SPIKE_DETECTED = "moderation.spike.detected"
SPIKE_ENDED = "moderation.spike.ended"
SAME_HOUR_DAYS = 28
TRAILING_DAYS = 7
# An open spike older than this is no longer shown, even if no check has closed it.
SHOW_SPIKES_FOR = dt.timedelta(hours=24)


def spike_multiple() -> float:
    return float(getattr(settings, "SPIKE_ALERT_MULTIPLE", 3.0))


def spike_min_comments() -> int:
    return int(getattr(settings, "SPIKE_ALERT_MIN_COMMENTS", 10))


@dataclass(frozen=True)
class HourlyRate:
    """One channel's last hour against its usual hourly rate."""

    channel_id: int
    last_hour: int
    same_hour_median: float
    trailing_mean: float
    has_history: bool

    @property
    def baseline(self) -> float:
        return max(self.same_hour_median, self.trailing_mean)

    def is_spike(self, multiple: float, min_comments: int) -> bool:
        return (
            self.has_history
            and self.last_hour >= min_comments
            and self.last_hour > multiple * self.baseline
        )

    def as_data(self, multiple: float) -> dict[str, Any]:
        return {
            "last_hour": self.last_hour,
            "usual_per_hour": round(self.baseline, 2),
            "same_hour_median": round(self.same_hour_median, 2),
            "trailing_mean": round(self.trailing_mean, 2),
            "multiple": multiple,
        }


def hourly_rates(now: dt.datetime | None = None) -> dict[int, HourlyRate]:
    """Every enabled channel's rate, in one aggregate query."""
    now = now or timezone.now()
    hour = dt.timedelta(hours=1)
    aggregates: dict[str, Any] = {
        "last_hour": Count("id", filter=Q(created_at__gt=now - hour)),
        "trailing": Count(
            "id",
            filter=Q(
                created_at__gt=now - hour - dt.timedelta(days=TRAILING_DAYS),
                created_at__lte=now - hour,
            ),
        ),
        "history": Count("id", filter=Q(created_at__lte=now - dt.timedelta(days=TRAILING_DAYS))),
    }
    for day in range(1, SAME_HOUR_DAYS + 1):
        end = now - dt.timedelta(days=day)
        aggregates[f"day_{day}"] = Count(
            "id", filter=Q(created_at__gt=end - hour, created_at__lte=end)
        )
    rows: Iterable[dict[str, Any]] = cast(
        "Iterable[dict[str, Any]]",
        Comment.objects.filter(
            channel__enabled=True,
            created_at__gt=now - hour - dt.timedelta(days=SAME_HOUR_DAYS),
            created_at__lte=now,
        )
        .values("channel_id")
        .annotate(**aggregates),
    )
    rates = {}
    for row in rows:
        same_hour = [row[f"day_{day}"] for day in range(1, SAME_HOUR_DAYS + 1)]
        rates[row["channel_id"]] = HourlyRate(
            channel_id=row["channel_id"],
            last_hour=row["last_hour"],
            same_hour_median=float(statistics.median(same_hour)),
            trailing_mean=row["trailing"] / (TRAILING_DAYS * 24),
            has_history=row["history"] > 0,
        )
    return rates


def latest_spike_events(channel_ids: list[int] | None = None) -> dict[int, AuditEvent]:
    """The latest detected/ended event per channel within the display window."""
    events = AuditEvent.objects.filter(
        event_type__in=(SPIKE_DETECTED, SPIKE_ENDED),
        occurred_at__gte=timezone.now() - SHOW_SPIKES_FOR,
    ).order_by("id")
    if channel_ids is not None:
        events = events.filter(channel_id__in=channel_ids)
    latest: dict[int, AuditEvent] = {}
    for event in events:
        if event.channel_id is not None:
            latest[event.channel_id] = event
    return latest


@dataclass(frozen=True)
class SpikeAlert:
    """An open spike, as the console shows it."""

    channel_id: int
    channel_name: str
    since: dt.datetime
    last_hour: int
    usual_per_hour: float
    crisis_mode: bool


def open_spike_alerts() -> list[SpikeAlert]:
    """Spikes detected and not yet ended, newest first.

    Every console page asks, so this is one indexed query (and a second only when there are
    open spikes); it is not cached, so a page costs the same number of queries every time.
    """
    detections = [e for e in latest_spike_events().values() if e.event_type == SPIKE_DETECTED]
    channels = Channel.objects.in_bulk([e.channel_id for e in detections])
    alerts = [
        SpikeAlert(
            channel_id=channel.pk,
            channel_name=str(channel),
            since=event.occurred_at,
            last_hour=int(event.data.get("last_hour", 0)),
            usual_per_hour=float(event.data.get("usual_per_hour", 0.0)),
            crisis_mode=channel.crisis_mode,
        )
        for event in sorted(detections, key=lambda e: e.occurred_at, reverse=True)
        if (channel := channels.get(event.channel_id or 0)) is not None
    ]
    return alerts
