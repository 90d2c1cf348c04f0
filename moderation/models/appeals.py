"""Authors' appeals against a hide or removal."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from moderation.models.comments import Comment


class Appeal(models.Model):
    """An author's appeal against a hide or removal: recorded by an officer, decided by a
    manager."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for a manager"
        REINSTATED = "reinstated", "Upheld: reinstated"
        UPHELD_NOT_RESTORABLE = "upheld_not_restorable", "Upheld: the platform cannot restore it"
        REFUSED = "refused", "Refused: the decision stands"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="appeals")
    received_via = models.CharField(max_length=120, help_text="e.g. email, private message")
    summary = models.TextField(help_text="What the author says, in brief")
    recorded_by_label = models.CharField(max_length=300)
    recorded_at = models.DateTimeField()
    state = models.CharField(max_length=24, choices=State.choices, default=State.OPEN)
    decided_by_label = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-recorded_at"]

    def __str__(self) -> str:
        return f"appeal on comment {self.comment_id} ({self.state})"
