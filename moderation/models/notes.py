"""Officers' notes on comments and authors."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from moderation.models.authors import Author
from moderation.models.comments import Comment


class Note(models.Model):
    """An officer's note on a comment or on an author."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        # Not its words: a note may quote a comment's personal data (shown masked where needed).
        return f"note {self.pk}"
