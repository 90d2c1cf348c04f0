"""Recording spikes: each spike once in the audit log (and its email queued), closed when the
hourly count falls back; ``check_spikes`` judges every channel's last hour."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.audit import SystemActor, audit_context, record
from accounts.models import AuditEvent
from moderation.actions.notifications import (
    queue_spike_notice,
)
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
def do_record_spike(channel: Channel, rate: HourlyRate, *, multiple: float) -> AuditEvent | None:
    """Record a spike once: nothing if the channel's last spike has not ended yet."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    latest = latest_spike_events([channel.pk]).get(channel.pk)
    if latest is not None and latest.event_type == SPIKE_DETECTED:
        return None
    event = record(
        SPIKE_DETECTED,
        actor=_actor(),
        target=channel,
        channel_id=channel.pk,
        data=rate.as_data(multiple),
    )
    queue_spike_notice(event.pk)
    return event


@transaction.atomic
def do_record_spike_end(channel: Channel, rate: HourlyRate, *, multiple: float) -> bool:
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    latest = latest_spike_events([channel.pk]).get(channel.pk)
    if latest is None or latest.event_type != SPIKE_DETECTED:
        return False
    record(
        SPIKE_ENDED,
        actor=_actor(),
        target=channel,
        channel_id=channel.pk,
        data={**rate.as_data(multiple), "detected_event_id": latest.pk},
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
                    channel, rate, multiple=multiple
                ):
                    detected += 1
            elif channel_id in open_spikes and do_record_spike_end(
                channel, rate, multiple=multiple
            ):
                ended += 1
    return {"channels": len(rates), "detected": detected, "ended": ended}
