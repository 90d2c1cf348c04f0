"""What outside classifiers said about comments, and each one's daily calls and last failure.

Defined beside the code that writes them; registered with the moderation app, whose
``moderation.models`` re-exports them.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class OutsideScore(models.Model):
    """One outside classifier's scores for one comment (our category names → 0..1).

    A signal shown to officers beside the rules and the learned stage; never a reason to hide.
    """

    comment = models.ForeignKey(
        "moderation.Comment", on_delete=models.CASCADE, related_name="outside_scores"
    )
    classifier = models.CharField(max_length=30)
    # sha256 of the text sent, so the same words are not sent (and paid for) twice.
    text_hash = models.CharField(max_length=64)
    scores = models.JSONField(default=dict)
    # The provider's own labels and values as it answered (e.g. Perspective's THREAT).
    raw_scores = models.JSONField(default=dict)
    cached = models.BooleanField(default=False, help_text="Copied from an earlier identical text")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "moderation"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["comment", "classifier"], name="one_outside_score")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["classifier", "text_hash"], name="outside_score_cache"),
        ]

    def __str__(self) -> str:
        return f"{self.classifier} on comment {self.comment_id}"


class ClassifierUsage(models.Model):
    """Calls made to one outside classifier on one day (the budget), and how the last went."""

    classifier = models.CharField(max_length=30)
    day = models.DateField()
    calls = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    skipped_over_budget = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "moderation"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["classifier", "day"], name="one_usage_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.classifier} on {self.day}: {self.calls} calls"
