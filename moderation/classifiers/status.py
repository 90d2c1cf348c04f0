"""How each outside classifier is doing today, for the admins' Status page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from moderation.classifiers.adapters import configured
from moderation.classifiers.base import setting
from moderation.models import ClassifierUsage


@dataclass(frozen=True)
class ClassifierStatus:
    label: str
    calls: int
    budget: int
    failures: int
    skipped_over_budget: int
    last_error: str
    last_error_at: dt.datetime | None
    last_success_at: dt.datetime | None

    @property
    def failing(self) -> bool:
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at


def classifier_statuses() -> list[ClassifierStatus]:
    """One row per configured adapter ([] when the feature is off)."""
    adapters = configured()
    if not adapters:
        return []
    today = {
        usage.classifier: usage
        for usage in ClassifierUsage.objects.filter(
            day=timezone.localdate(), classifier__in=[a.name for a in adapters]
        )
    }
    budget = int(setting("OUTSIDE_CLASSIFIER_DAILY_BUDGET", 1000))
    rows = []
    for adapter in adapters:
        usage = today.get(adapter.name)
        rows.append(
            ClassifierStatus(
                label=adapter.label,
                calls=usage.calls if usage else 0,
                budget=budget,
                failures=usage.failures if usage else 0,
                skipped_over_budget=usage.skipped_over_budget if usage else 0,
                last_error=usage.last_error if usage else "",
                last_error_at=usage.last_error_at if usage else None,
                last_success_at=usage.last_success_at if usage else None,
            )
        )
    return rows
