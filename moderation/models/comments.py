"""The council's posts, the comments under them, each rule's match on a comment, and the items
that could not take the usual path (quarantined)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from moderation.models.authors import Author
from moderation.models.channels import Channel

if TYPE_CHECKING:
    from moderation.models.tags import CommentTag, Tag


class Post(models.Model):
    """The council's own post that comments sit under."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    platform_id = models.CharField(max_length=128)
    text = models.TextField(blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["channel", "platform_id"], name="unique_post")
        ]

    def __str__(self) -> str:
        return self.text[:60] or self.platform_id


class Comment(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Not yet checked"
        CLEAN = "clean", "Nothing found"
        REVIEW = "review", "To review"
        HELD = "held", "Held (hidden pending review)"
        ESCALATED = "escalated", "Escalated"
        DONE = "done", "Done"

    class Visibility(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden"
        REMOVED = "removed", "Removed"

    # No single-column indexes on channel and author: the unique constraint (channel, platform
    # id) and comment_author_time (author, created) serve those lookups, and each index costs
    # every insert and every status change at ingest.
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    platform_id = models.CharField(max_length=128)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    parent_platform_id = models.CharField(max_length=128, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        db_index=False,  # partial index below
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    # Stored exactly as received; escaped wherever shown; normalised only inside the engine.
    text = models.TextField()
    # The text with its personal data replaced by the mask label, for the people who may not
    # reveal it to search (so search cannot read what they see masked). Empty when the rules
    # found no personal data: most comments, whose text is then searched as it is.
    masked_text = models.TextField(blank=True, default="")
    permalink = models.URLField(max_length=500, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    priority = models.PositiveSmallIntegerField(default=0, help_text="Higher is worse")
    categories = models.JSONField(default=list, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_version = models.PositiveIntegerField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_comments",
        db_index=False,  # partial index below
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    first_action_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index below
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # Given to one officer to see through (their "Mine" tab), without escalating it.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_comments",
        db_index=False,  # partial index below
    )
    tags: models.ManyToManyField[Tag, CommentTag] = models.ManyToManyField(
        "Tag", through="CommentTag", related_name="comments", blank=True
    )
    redacted_at = models.DateTimeField(null=True, blank=True, help_text="Text erased (retention)")
    # A direct/private message (Messenger, Instagram, Mastodon direct): answered privately,
    # never hidden, removed or otherwise acted on in public.
    private = models.BooleanField(default=False)
    # The platform's own hold, e.g. YouTube's "heldForReview" or "likelySpam" ("" = published).
    platform_status = models.CharField(max_length=20, blank=True)
    # The same words posted by several people (spam.campaign): the queue shows them as one row.
    campaign_key = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering: ClassVar[list[str]] = ["-received_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["channel", "platform_id"], name="unique_comment")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["status", "-priority", "due_at", "id"], name="comment_queue_order"
            ),
            models.Index(fields=["author", "-created_at"], name="comment_author_time"),
            models.Index(fields=["channel", "-received_at"], name="comment_channel_time"),
            # A batch's history: the comments just before it on its channel, newest first.
            models.Index(fields=["channel", "id"], name="comment_channel_order"),
            models.Index(
                fields=["received_at"], condition=Q(status="new"), name="comment_unevaluated"
            ),
            # Most comments have no parent and are never claimed or handled by a person: a
            # full index would take an entry for each of them, at every insert and every
            # status change, for lookups that only ever ask for a given parent or officer.
            models.Index(
                fields=["parent"], condition=Q(parent__isnull=False), name="comment_parent"
            ),
            models.Index(
                fields=["claimed_by"],
                condition=Q(claimed_by__isnull=False),
                name="comment_claimed_by",
            ),
            models.Index(
                fields=["handled_by"],
                condition=Q(handled_by__isnull=False),
                name="comment_handled_by",
            ),
            models.Index(
                fields=["assigned_to", "-priority", "due_at", "id"],
                condition=Q(assigned_to__isnull=False),
                name="comment_assigned_to",
            ),
            models.Index(
                fields=["campaign_key", "status"],
                condition=~Q(campaign_key=""),
                name="comment_campaign",
            ),
        ]

    def __str__(self) -> str:
        # By our own id: this is how audit events name a comment, and a platform's id can hold
        # its author's (a Bluesky post's URI holds their DID); the audit log outlives erasure.
        return f"comment {self.pk} on channel {self.channel_id}"


class Flag(models.Model):
    """One rule's match on one comment: enough to replay the decision and highlight the words."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    rule = models.ForeignKey(
        "rules.Rule", on_delete=models.PROTECT, null=True, blank=True, related_name="flags"
    )
    ruleset_version = models.PositiveIntegerField()
    rule_key = models.CharField(max_length=80)
    rule_name = models.CharField(max_length=120)
    category = models.CharField(max_length=32, db_index=True)
    severity = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=12)
    route = models.CharField(max_length=20, blank=True)
    detector = models.CharField(max_length=40, blank=True)
    spans = models.JSONField(default=list)
    explanation = models.TextField(blank=True)
    shadow = models.BooleanField(default=False, help_text="Recorded by a shadow rule set only")
    reversed = models.BooleanField(default=False, help_text="An officer undid its outcome")
    # The learned stage's (or an outside classifier's) calibrated score, and the words behind it.
    score = models.FloatField(null=True, blank=True)
    terms = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-severity", "id"]

    def __str__(self) -> str:
        return f"{self.category} on comment {self.comment_id}"


class QuarantinedItem(models.Model):
    """One item that could not take the usual path, kept with the reason for people to see.

    Either a platform item that could not be read at all (not stored as a comment), a comment
    stored with a value the platform sent replaced (a Bluesky `createdAt` of year 1), or a
    stored comment the rules could not check (left for a person to review). The rest of its page,
    delivery or evaluation batch goes on as usual.
    """

    class Source(models.TextChoices):
        POLL = "poll", "Poll"
        WEBHOOK = "webhook", "Webhook"
        EVALUATION = "evaluation", "Rules check"

    class Outcome(models.TextChoices):
        REJECTED = "rejected", "Not stored: it could not be read"
        CORRECTED = "corrected", "Stored with a value replaced"
        HELD = "held", "Stored for a person to check: the rules could not"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="quarantined")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="quarantined"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    platform_id = models.CharField(max_length=512, blank=True)
    reason = models.TextField()
    # The item as the platform sent it, as JSON text (cut at 50,000 characters).
    raw = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"quarantined {self.platform_id or 'item'} on {self.channel_id}"
