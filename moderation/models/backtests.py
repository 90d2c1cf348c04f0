"""Runs of a draft rule-set version over stored comments."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Backtest(models.Model):
    """A draft rule-set version run over stored comments of a period, to see what would change."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(
        "rules.RuleSetVersion", on_delete=models.CASCADE, related_name="backtests"
    )
    since = models.DateTimeField()
    until = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"backtest of {self.version} ({self.state})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
