"""Where comments are escalated to (routes, each with its deadline) and each escalation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from accounts.names import neutralise_bidi
from moderation.email_addresses import email_addresses
from moderation.models.comments import Comment

STATUTORY_ROUTE_KEYS = frozenset({"foi", "subject_access"})
MAX_ROUTE_DEADLINE = 365


class EscalationRoute(models.Model):
    class DeadlineKind(models.TextChoices):
        WORKING_DAYS = "working_days", "Working days"
        CALENDAR_MONTHS = "calendar_months", "Calendar months"
        HOURS = "hours", "Hours"

    key = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    email = models.CharField(max_length=300, blank=True, help_text="Comma-separated addresses")
    deadline_kind = models.CharField(
        max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.WORKING_DAYS
    )
    deadline_amount = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return neutralise_bidi(self.name)

    def clean(self) -> None:
        """A deadline of 1 to 365 of its unit; real addresses only, kept as "a@x, b@y"."""
        errors: dict[str, list[str]] = {}
        if not 1 <= (self.deadline_amount or 0) <= MAX_ROUTE_DEADLINE:
            errors["deadline_amount"] = [
                f"A deadline is between 1 and {MAX_ROUTE_DEADLINE} of its unit."
            ]
        try:
            self.email = ", ".join(email_addresses(self.email))
        except ValidationError as error:
            errors["email"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def statutory(self) -> bool:
        """A legal clock (FOIA/EIR, UK GDPR subject access) that runs from when the comment was
        posted; every other route's target runs from the escalation (moderation.deadlines)."""
        return self.key in STATUTORY_ROUTE_KEYS


class Escalation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="escalations")
    route = models.ForeignKey(EscalationRoute, on_delete=models.PROTECT, related_name="escalations")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    deadline_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    created_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["deadline_at"]

    def __str__(self) -> str:
        return f"{self.route} for comment {self.comment_id}"
