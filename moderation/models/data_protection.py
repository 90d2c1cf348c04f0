"""What data protection keeps on record: holds that stop erasure, and why an officer looks at an
author's history."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from moderation.models.authors import Author
from moderation.models.comments import Comment


class LegalHold(models.Model):
    """Keep a comment (or everything about an author) for police, complaints or legal: while a
    hold is in place neither retention nor erasure on request erases it."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    reason = models.CharField(max_length=300)
    placed_by_label = models.CharField(max_length=300)
    placed_at = models.DateTimeField()
    lifted_by_label = models.CharField(max_length=300, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-placed_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False) | Q(author__isnull=False),
                name="legal_hold_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        subject = f"comment {self.comment_id}" if self.comment_id else f"author {self.author_id}"
        return f"legal hold on {subject}"

    @property
    def in_place(self) -> bool:
        return self.lifted_at is None


class ProfilePurpose(models.Model):
    """Why an officer looks at an author's history: asked the first time, per author."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="profile_purposes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["author", "user"], name="one_purpose_per_viewer")
        ]

    def __str__(self) -> str:
        return f"purpose of user {self.user_id} for author {self.author_id}"
