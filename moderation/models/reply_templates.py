"""The replies officers start from, with the placeholders the console fills in."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from accounts.names import neutralise_bidi
from moderation.template_placeholders import placeholders_problem


class ReplyTemplate(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    body = models.TextField(
        help_text="Placeholders: {author}, {channel}, {organisation}, {contact}"
    )
    for_categories = models.JSONField(default=list, blank=True)
    offered_first_in_crisis = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "name"]

    def __str__(self) -> str:
        return neutralise_bidi(self.name)

    def clean(self) -> None:
        """A name and some text, with no placeholder the console would not fill in."""
        errors: dict[str, str] = {}
        if not self.name.strip():
            errors["name"] = "A reply template needs a name."
        problem = placeholders_problem(self.body or "")
        if problem:
            errors["body"] = problem
        if errors:
            raise ValidationError(errors)
