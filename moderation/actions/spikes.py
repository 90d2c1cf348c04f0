"""Spikes on the record: each spike once in the audit log (and its email queued), closed when the
hourly count falls back; ``check_spikes`` judges every channel's last hour (how a spike is
found: ``moderation.spikes``).

The audit log is the record of open spikes: a channel's spike is open while its latest spike
event is a detection. Each detection queues one email to the crisis route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.audit import Actor, SystemActor, audit_context, record
from accounts.models import AuditEvent
from moderation.actions.notifications import queue_spike_notice
from moderation.models import Channel
from moderation.spikes import (
    SPIKE_DETECTED,
    SPIKE_ENDED,
    HourlyRate,
    hourly_rates,
    latest_spike_events,
    spike_min_comments,
    spike_multiple,
)
from smpolicy.queue import current_job_id


def _actor() -> SystemActor:
    return SystemActor.system("spike detector")


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


def check_spikes(now: dt.datetime | None = None) -> dict[str, int]:
    """Judge every enabled channel's last hour; record and email new spikes, close ended ones."""
    multiple, min_comments = spike_multiple(), spike_min_comments()
    rates = hourly_rates(now)
    open_spikes = {
        cid for cid, event in latest_spike_events().items() if event.event_type == SPIKE_DETECTED
    }
    detected = ended = 0
    channels = Channel.objects.in_bulk(set(rates) | open_spikes)
    with audit_context(job_id=current_job_id()):
        for channel_id, channel in channels.items():
            rate = rates.get(channel_id) or HourlyRate(channel_id, 0, 0.0, 0.0, True)
            if rate.is_spike(multiple, min_comments):
                if channel_id not in open_spikes and do_record_spike(
                    channel, rate.as_data(multiple), actor=_actor()
                ):
                    detected += 1
            elif channel_id in open_spikes and do_record_spike_end(
                channel, rate.as_data(multiple), actor=_actor()
            ):
                ended += 1
    return {"channels": len(rates), "detected": detected, "ended": ended}
