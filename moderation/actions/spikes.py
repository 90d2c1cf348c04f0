"""Spikes on the record: detected once, ended once (how they are found: ``moderation.alerts``).

The audit log is the record of open spikes: a channel's spike is open while its latest spike
event is a detection. Each detection queues one email to the crisis route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import AuditEvent
from moderation.actions.notifications import queue_spike_notice
from moderation.models import Channel

SPIKE_DETECTED = "moderation.spike.detected"
SPIKE_ENDED = "moderation.spike.ended"
# An open spike older than this is no longer shown, even if no check has closed it.
SHOW_SPIKES_FOR = dt.timedelta(hours=24)


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


@transaction.atomic
def do_record_spike(
    channel: Channel, figures: Mapping[str, Any], *, actor: Actor
) -> AuditEvent | None:
    """Record a spike once, with its ``figures`` (``HourlyRate.as_data``): nothing if the
    channel's last spike has not ended yet."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    latest = latest_spike_events([channel.pk]).get(channel.pk)
    if latest is not None and latest.event_type == SPIKE_DETECTED:
        return None
    event = record(
        SPIKE_DETECTED, actor=actor, target=channel, channel_id=channel.pk, data=dict(figures)
    )
    queue_spike_notice(event.pk)
    return event


@transaction.atomic
def do_record_spike_end(channel: Channel, figures: Mapping[str, Any], *, actor: Actor) -> bool:
    """Close the channel's open spike; False if it has none."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    latest = latest_spike_events([channel.pk]).get(channel.pk)
    if latest is None or latest.event_type != SPIKE_DETECTED:
        return False
    record(
        SPIKE_ENDED,
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        data={**figures, "detected_event_id": latest.pk},
    )
    return True
