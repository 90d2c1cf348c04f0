from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import user_can
from moderation.models import Channel, Organisation
from moderation.spikes import open_spike_alerts


def console(request: HttpRequest) -> dict[str, Any]:
    """What every console page shows: the organisation and whether crisis mode is on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    org = Organisation.current()
    crisis_channels = [str(channel) for channel in Channel.objects.filter(crisis_mode=True)]
    return {
        "organisation": org,
        "crisis_all": org.crisis_mode,
        "crisis_channels": crisis_channels,
    }


def spike_alerts(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``spike_alerts`` for people who work the queue or configure."""
    user = getattr(request, "user", None)
    if user is None or not (user_can(user, "work_queue") or user_can(user, "configure")):
        return {}
    return {"spike_alerts": open_spike_alerts()}
