"""The people commenting: an author as one platform knows them, and a person an officer has
confirmed is behind several authors."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from accounts.names import neutralise_bidi
from moderation.models.channels import PLATFORM_CHOICES


class Author(models.Model):
    """A person commenting, as one platform knows them."""

    platform = models.CharField(max_length=16, choices=PLATFORM_CHOICES)
    platform_id = models.CharField(max_length=128)
    handle = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    strikes = models.PositiveIntegerField(default=0)
    blocked = models.BooleanField(default=False)
    first_seen = models.DateTimeField(auto_now_add=True)
    # Set only when an officer confirms two authors are the same person (never guessed).
    person = models.ForeignKey(
        "Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="authors"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["handle"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["platform", "platform_id"], name="unique_author")
        ]

    def __str__(self) -> str:
        return neutralise_bidi(self.display_name or self.handle or self.platform_id)

    @property
    def shown_handle(self) -> str:
        return neutralise_bidi(self.handle)


class Person(models.Model):
    """Authors on different platforms an officer has confirmed are the same person."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"person {self.pk}"
