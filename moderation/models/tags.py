"""Labels admins define for officers to put on comments, and each comment's labels."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from accounts.names import neutralise_bidi
from moderation.models.comments import Comment


class Tag(models.Model):
    """A label admins define ("roadworks", "budget consultation") for officers to put on items."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True, help_text="Offered to officers")

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return neutralise_bidi(self.name)


class CommentTag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="taggings")
    added_by_label = models.CharField(max_length=300)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["comment", "tag"], name="unique_comment_tag")
        ]
        # The queue's tag filter and the report's count start from the tag.
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["tag", "comment"], name="comment_tag_by_tag")
        ]

    def __str__(self) -> str:
        return f"{self.tag} on comment {self.comment_id}"
