"""Rule sets and rules as data, with immutable published versions.

A ``RuleSet`` (e.g. "Default policy", "Pre-election period") has numbered ``RuleSetVersion``s.
Editing happens in the one draft version; publishing freezes it (shadow or live) and archives
the previous live version. ``Rule`` rows belong to exactly one version, so a flag that points at
a rule also says which version decided it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings as django_settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from accounts.names import neutralise_bidi
from rules.engine.types import MAX_SEVERITY, MIN_SEVERITY

CATEGORY_CHOICES = [
    ("abuse", "Abuse"),
    ("harassment", "Harassment and threats"),
    ("hate", "Hate and discrimination"),
    ("personal_data", "Personal data"),
    ("spam", "Spam"),
    ("malicious_link", "Malicious link"),
    ("political", "Party-political"),
    ("staff_criticism", "Criticism of named staff"),
    ("foi_request", "Freedom of Information request"),
    ("subject_access_request", "Subject access request"),
    ("complaint", "Formal complaint"),
    ("self_harm", "Someone at risk (self-harm or emergency)"),
    ("impersonation", "Impersonation"),
    ("off_topic", "Off topic"),
    ("misleading", "Misleading"),
    ("copyright", "Copyright"),
]
# A match or flag with no category is a signal, not a policy category: the engine's one signal is
# a campaign (the same post by several people, ``rules.engine.types.SIGNALS``), sent to review.
NO_CATEGORY_LABEL = "Campaign (no category)"
OUTCOME_CHOICES = [
    ("review", "Flag for review"),
    ("hold", "Hold (hide now, review)"),
    ("auto_hide", "Hide automatically"),
    ("escalate", "Escalate"),
    ("route", "Route as a statutory request"),
    ("none", "Record only"),
]
ROUTE_CHOICES = [
    ("", "—"),
    ("manager", "Manager"),
    ("foi", "FOI team"),
    ("subject_access", "Data protection (subject access)"),
    ("complaints", "Complaints team"),
    ("safeguarding", "Safeguarding / police"),
    ("legal", "Legal"),
    ("crisis", "Crisis group"),
]
KIND_CHOICES = [
    ("words", "Word or phrase list"),
    ("regex", "Pattern"),
    ("detector", "Built-in detector"),
]


class RuleSet(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(
        default=False, help_text="Used by channels that choose no rule set, and by `classify`."
    )
    # A scheduled rule set replaces a channel's own one while the period lasts (pre-election).
    active_from = models.DateTimeField(null=True, blank=True)
    active_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_ruleset"
            )
        ]

    def __str__(self) -> str:
        # An admin's text: direction controls shown as tokens, as for every displayed name.
        return neutralise_bidi(self.name)


class RuleSetVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHADOW = "shadow", "Shadow (recorded, no outcome applied)"
        LIVE = "live", "Live"
        ARCHIVED = "archived", "Archived"

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # Detector settings of this version (blocked domains, thresholds), over the organisation's.
    settings = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The live version this one was published over, so its changes can be shown afterwards.
    compared_with = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["ruleset", "-number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["ruleset", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["ruleset"], condition=Q(state="live"), name="one_live_version"
            ),
            models.UniqueConstraint(
                fields=["ruleset"], condition=Q(state="draft"), name="one_draft_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ruleset} v{self.number} ({self.state})"

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT


class Rule(models.Model):
    version = models.ForeignKey(RuleSetVersion, on_delete=models.CASCADE, related_name="rules")
    key = models.CharField(
        max_length=80,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9_.-]*$",
                "Use lower-case letters, digits, dots, dashes and underscores.",
            )
        ],
        help_text="Stable across versions, e.g. abuse.profanity",
    )
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=32, choices=CATEGORY_CHOICES)
    # The one bound on severity (the engine's): the rule form and the actions both apply it.
    severity = models.PositiveSmallIntegerField(
        default=3,
        help_text="1 (low) to 5 (critical)",
        validators=[MinValueValidator(MIN_SEVERITY), MaxValueValidator(MAX_SEVERITY)],
    )
    outcome = models.CharField(max_length=12, choices=OUTCOME_CHOICES)
    route = models.CharField(max_length=20, choices=ROUTE_CHOICES, blank=True)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    params = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    explanation = models.TextField(blank=True, help_text="Shown to officers: what the policy says")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["version", "position", "key"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_rule_key_per_version"),
        ]

    def __str__(self) -> str:
        return f"{neutralise_bidi(self.name)} ({self.key})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.version_id and not self.version.is_editable:
            raise PermissionError("A published rule-set version cannot change; edit its draft.")
        super().save(*args, **kwargs)
