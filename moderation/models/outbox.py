"""The outboxes, written in the same transaction as what they carry and sent by workers: actions
on the platforms, and emails to people."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from moderation.models.authors import Author
from moderation.models.channels import Channel
from moderation.models.comments import Comment
from moderation.models.escalations import Escalation


class ModerationAction(models.Model):
    """The outbox: one platform action, sent by a worker outside any web request."""

    class Kind(models.TextChoices):
        HIDE = "hide", "Hide"
        UNHIDE = "unhide", "Unhide"
        REMOVE = "remove", "Remove"
        REPLY = "reply", "Reply"
        BLOCK = "block", "Block author"
        UNBLOCK = "unblock", "Unblock author"
        APPROVE = "approve", "Approve on the platform"
        REJECT = "reject", "Reject on the platform"
        MUTE = "mute", "Mute author"
        REPORT = "report", "Report to the platform"
        DETACH_QUOTE = "detach_quote", "Detach quote"
        NOTICE = "notice", "Removal notice"

    class State(models.TextChoices):
        # A reply an admin's rules hold for a manager: the worker never sends it in this state.
        AWAITING_APPROVAL = "awaiting", "Waiting for a manager's approval"
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SUCCEEDED = "succeeded", "Done on the platform"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="actions")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True, help_text="Reply text")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    platform_response = models.JSONField(default=dict, blank=True)
    platform_id = models.CharField(max_length=128, blank=True, help_text="e.g. the reply's id")
    requested_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by_label = models.CharField(
        max_length=300, blank=True, help_text="The manager who approved or rejected a reply"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-requested_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="action_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.state})"


class Notification(models.Model):
    """The outbox of emails to people: an escalation's route, a spike's crisis team.

    Written in the same transaction as what it tells about, sent by a worker
    (``moderation.emails.deliver_notification``), retried with backoff until it goes, so a
    notification is never lost with a job (Redis down, a worker killed, the mail server away).
    It holds ids only: the email is composed when it is sent, from what is then in the console.
    """

    class Kind(models.TextChoices):
        ESCALATION = "escalation", "Escalation email"
        SPIKE = "spike", "Spike alert"
        AT_RISK = "at_risk", "On-call alert: someone at risk"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # The spike's detection event (audit events are not deleted, so no foreign key is needed).
    audit_event_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    outcome = models.CharField(max_length=40, blank=True, help_text="e.g. sent, no address")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="notification_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} notification {self.pk} ({self.state})"
