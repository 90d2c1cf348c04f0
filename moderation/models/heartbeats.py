"""When each long-running process last finished its loop."""

from __future__ import annotations

from django.db import models


class ServiceHeartbeat(models.Model):
    """When a long-running process last finished its loop (the scheduler's tick), for /healthz
    and the admins' status page. Operational telemetry, not a change anyone made: not audited,
    like a channel's ``last_polled_at``."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%H:%M:%S}"
