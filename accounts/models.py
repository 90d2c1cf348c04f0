"""Users, and the append-only audit log.

Roles are Django groups with explicit permissions (``accounts.roles``); the permissions themselves
are declared on ``User`` so that they exist from the first migration.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from accounts.names import neutralise_bidi


class User(AbstractUser):
    """A person who signs in: an officer, a manager or an admin (see ``accounts.roles``)."""

    full_name = models.CharField("full name", max_length=150, blank=True)
    # Raised to end every session the person has open (deactivation, a second-factor reset):
    # sessions carry a hash that includes it, so an old one never comes back to life.
    session_epoch = models.PositiveIntegerField(default=0)
    # Set when a person with a password is given a role that needs a second factor they do not
    # have (a promoted officer): they may set up an authenticator only after opening the one-time
    # link emailed to them (``accounts.set_up_link``), not with their password alone.
    set_up_link_required = models.BooleanField(default=False)

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        permissions = [
            ("work_queue", "Can work the moderation queue"),
            ("view_reports", "Can read reports and every channel"),
            ("view_audit", "Can read and export the audit log"),
            ("configure", "Can change rules, channels, templates and hours"),
            ("manage_users", "Can invite, change and deactivate users"),
            ("reveal_personal_data", "Can reveal personal data in comments"),
            ("approve_replies", "Can approve or reject replies held for approval"),
        ]

    def __str__(self) -> str:
        # A full name is an admin's text: shown, like every name, with direction controls as
        # tokens (the Django admin's lists and labels, audit events' targets, pickers).
        return neutralise_bidi(self.full_name or self.username)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        key_salt = "accounts.User.get_session_auth_hash"
        material = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, material, secret=secret, algorithm="sha256").hexdigest()

    @property
    def label(self) -> str:
        """How the audit log names this person; kept on each event so it survives deletion."""
        return f"{self.full_name or self.username} ({self.username})"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")


class AuditEvent(models.Model):
    """One change of state, written only by ``accounts.audit`` inside the change's transaction.

    Each event carries ``hash`` = HMAC(audit key, previous event's hash + this event's canonical
    content) (``accounts.audit_chain``), so editing or removing any event breaks the chain from
    there on (``manage.py verify_audit``). On PostgreSQL a trigger refuses UPDATE, DELETE and
    TRUNCATE on this table, and the application's database role may only SELECT and INSERT.
    """

    class ActorKind(models.TextChoices):
        USER = "user", "person"
        RULE = "rule", "rule"
        CONNECTOR = "connector", "connector"
        SYSTEM = "system", "system"

    occurred_at = models.DateTimeField(db_index=True)
    # No database constraint and no cascade: deleting a user never touches their history.
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_label = models.CharField(max_length=300)
    event_type = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    channel_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which HMAC key made ``hash`` (a fingerprint); "" for events from before the chain was keyed.
    key_id = models.CharField(max_length=32, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["event_type", "occurred_at"], name="audit_type_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")


class AuditCheckpointQuerySet(models.QuerySet["AuditCheckpoint"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit checkpoints are append-only: they cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit checkpoints are append-only: they cannot be deleted.")


class AuditCheckpoint(models.Model):
    """The audit chain's head at a moment, signed with the audit key (``audit_checkpoints``).

    Kept outside the audit table so that deleting the newest events, or emptying the table, is
    caught: the chain would still link, but no longer reach the head a checkpoint signed.
    Append-only like the events (trigger, grants); each is also written to the application log.
    """

    created_at = models.DateTimeField()
    last_event_id = models.BigIntegerField()
    last_event_hash = models.CharField(max_length=64)
    event_count = models.BigIntegerField(help_text="Events in the chain up to the last one")
    key_id = models.CharField(max_length=32)
    signature = models.CharField(max_length=64)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint at event {self.last_event_id} ({self.event_count} events)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit checkpoints are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit checkpoints are append-only: they cannot be deleted.")
