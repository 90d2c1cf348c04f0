"""The public body itself and the public contacts it publishes (never held as personal data)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models

from rules.engine.detectors.people import staff_names_and_roles


class Organisation(models.Model):
    """The public body itself: one row. Its published contacts are not personal data."""

    name = models.CharField(max_length=200, default="Our council")
    handles = models.JSONField(default=list, blank=True, help_text="The body's own names/handles")
    own_contacts = models.JSONField(default=dict, blank=True)
    # Each a name or {"name": ..., "role": ...}: the same JSON list, so no migration.
    staff_names = models.JSONField(default=list, blank=True)
    candidates = models.JSONField(default=list, blank=True)
    strike_threshold = models.PositiveSmallIntegerField(
        default=3, help_text="Strikes after which the console recommends blocking an author."
    )
    crisis_mode = models.BooleanField(default=False, help_text="Crisis mode on every channel")
    retention_days = models.PositiveIntegerField(default=730)
    reply_approval_categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Replies to comments in these categories wait for a manager's approval",
    )
    # The pre-election period (from the notice of election to polling day): officers may not
    # reply to party-political comments, and what staff post is checked more strictly.
    pre_election_from = models.DateField(null=True, blank=True)
    pre_election_until = models.DateField(null=True, blank=True)
    # Who is alerted when someone may be at risk outside monitoring hours (moderation.at_risk).
    on_call_name = models.CharField(max_length=120, blank=True)
    on_call_email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation:
        org = cls.objects.order_by("id").first()
        return org if org is not None else cls(name="Our council")

    def in_pre_election(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the pre-election period the admins set (both ends count)."""
        if self.pre_election_from is None and self.pre_election_until is None:
            return False
        starts = self.pre_election_from or dt.date.min
        ends = self.pre_election_until or dt.date.max
        return starts <= day <= ends

    def engine_settings(self) -> dict[str, object]:
        """What the rules engine's detectors need to know about the organisation. A staff
        entry is a name or ``{"name": ..., "role": ...}``; the engine gets the names, and the
        posts the roles name ("Station Manager, Brockholme" -> "station manager")."""
        names, roles = staff_names_and_roles({"staff_names": self.staff_names})
        return {
            "own_names": [self.name, *self.handles],
            "own_contacts": self.own_contacts,
            "allow_list": AllowListEntry.engine_allow_list(),
            "own_domains": list(self.own_contacts.get("domains", [])),
            "staff_names": names,
            "staff_roles": roles,
            "candidates": self.candidates,
        }


class AllowListEntry(models.Model):
    """A public phone number, email, postcode or address (the body's own, a helpline, a venue)
    that is never held as personal data when a comment quotes it."""

    class Kind(models.TextChoices):
        PHONE = "phones", "Phone number"
        EMAIL = "emails", "Email address"
        POSTCODE = "postcodes", "Postcode"
        ADDRESS = "addresses", "Address"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True, help_text="Whose it is, e.g. Samaritans")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["kind", "value"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["kind", "value"], name="allow_list_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @classmethod
    def engine_allow_list(cls) -> dict[str, list[str]]:
        """The shape the personal-data detector reads (``{"phones": [...], ...}``)."""
        found: dict[str, list[str]] = {}
        for kind, value in cls.objects.order_by("kind", "value").values_list("kind", "value"):
            found.setdefault(kind, []).append(value)
        return found
