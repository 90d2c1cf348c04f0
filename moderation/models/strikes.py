"""Strikes against repeat offenders, each dated and tied to the action that gave it.

``Author.strikes`` stays the running count the console compares with the organisation's
threshold; a ``Strike`` row says when each was given, for which comment and by which action, so a
manager can see when, and a count over a period is a query. Strikes given before these rows
existed have no row: the page says how many are undated.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from moderation.models.authors import Author
from moderation.models.comments import Comment
from moderation.models.outbox import ModerationAction


class Strike(models.Model):
    class Verb(models.TextChoices):
        HIDE = "hide", "Hidden"
        REMOVE = "remove", "Removed"
        REJECT = "reject", "Rejected"
        AUTO_HIDE = "auto_hide", "Hidden automatically"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="strike_records")
    # Kept when the comment or its outbox row is deleted (retention): the date still counts.
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="strikes"
    )
    action = models.ForeignKey(
        ModerationAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=16, choices=Verb.choices)
    given_by_label = models.CharField(max_length=200)
    given_at = models.DateTimeField()
    taken_back_at = models.DateTimeField(null=True, blank=True)
    taken_back_because = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-given_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["author", "given_at"], name="strike_author_given")
        ]

    def __str__(self) -> str:
        return f"strike on author {self.author_id} at {self.given_at:%Y-%m-%d %H:%M}"
