"""Channels, authors, posts, comments, flags, the outbox of platform actions, and what officers
attach to them (notes, escalations, reply templates).

State changes go through ``moderation.actions``; nothing else saves these rows.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from moderation.email_addresses import email_addresses
from moderation.names import neutralise_bidi
from moderation.template_placeholders import placeholders_problem

PLATFORM_CHOICES = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("youtube", "YouTube"),
    ("x", "X"),
    ("linkedin", "LinkedIn"),
    ("threads", "Threads"),
    ("tiktok", "TikTok"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("import", "Imported file"),
]
STATUTORY_ROUTE_KEYS = frozenset({"foi", "subject_access"})
NATION_CHOICES = [
    ("england", "England"),
    ("wales", "Wales"),
    ("scotland", "Scotland"),
    ("northern_ireland", "Northern Ireland"),
]


class Organisation(models.Model):
    """The public body itself: one row. Its published contacts are not personal data."""

    name = models.CharField(max_length=200, default="Our council")
    handles = models.JSONField(default=list, blank=True, help_text="The body's own names/handles")
    own_contacts = models.JSONField(default=dict, blank=True)
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
        """What the rules engine's detectors need to know about the organisation."""
        return {
            "own_names": [self.name, *self.handles],
            "own_contacts": self.own_contacts,
            "allow_list": AllowListEntry.engine_allow_list(),
            "own_domains": list(self.own_contacts.get("domains", [])),
            "staff_names": self.staff_names,
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


class Channel(models.Model):
    class Status(models.TextChoices):
        OK = "ok", "Working"
        ERROR = "error", "Failing"
        PAUSED = "paused", "Paused"

    platform = models.CharField(max_length=16, choices=PLATFORM_CHOICES)
    account_id = models.CharField(max_length=128, help_text="Page, account or channel id")
    name = models.CharField(max_length=120)
    handle = models.CharField(
        max_length=200,
        blank=True,
        help_text="How people find the account on the platform, e.g. @exampleshirecc",
    )
    nation = models.CharField(max_length=20, choices=NATION_CHOICES, default="england")
    # End before start is a night shift into the next morning; end equal to start is 24 hours.
    hours_start = models.TimeField(default=dt.time(9, 0))
    hours_end = models.TimeField(default=dt.time(17, 0))
    hours_days = models.CharField(
        max_length=7, default="01234", help_text="Monitored weekdays, 0 = Monday … 6 = Sunday"
    )
    bank_holidays_monitored = models.BooleanField(
        default=False, help_text="Monitored on the nation's bank holidays too (a 24/7 service)"
    )
    response_target_minutes = models.PositiveIntegerField(
        default=240, help_text="First action due within this much monitored time"
    )
    ruleset = models.ForeignKey(
        "rules.RuleSet", on_delete=models.SET_NULL, null=True, blank=True, related_name="channels"
    )
    enabled = models.BooleanField(default=True)
    crisis_mode = models.BooleanField(default=False)
    replies_need_approval = models.BooleanField(
        default=False, help_text="Replies on this channel wait for a manager's approval"
    )
    credentials = models.TextField(blank=True, help_text="Encrypted; never shown again")
    base_url = models.CharField(max_length=200, blank=True, help_text="Blank: the platform's own")
    poll_interval_seconds = models.PositiveIntegerField(default=120)
    backfill_days = models.PositiveSmallIntegerField(default=7)
    cursor = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Not polled before this time: the platform said to wait (X's monthly cap, a login quota).
    paused_until = models.DateTimeField(null=True, blank=True)
    # Billable reads (X: posts read) in the month `reads_month` ("YYYY-MM", UTC).
    reads_in_month = models.PositiveIntegerField(default=0)
    reads_month = models.CharField(max_length=7, blank=True)
    # Meta webhooks: the token Meta's verification request must carry (set in the app's
    # dashboard; not a secret like the app secret, so shown to admins), and the Page's
    # subscription to the app (POST /{id}/subscribed_apps).
    webhook_verify_token = models.CharField(max_length=100, blank=True)
    webhooks_subscribed_at = models.DateTimeField(null=True, blank=True)
    webhooks_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # --- the connection's health (moderation/tokens.py) ----------------------------------
    # How the credentials were obtained: an OAuth flow (connectors/authorization.py OAUTH_APPS),
    # "app_password" (Bluesky), or "" (typed in by hand).
    connected_with = models.CharField(max_length=20, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True, help_text="Access token")
    # When a person must reconnect: the refresh token's end, or the access token's own end
    # where the platform gives no way to renew it. None: never, or not known.
    reconnect_by = models.DateTimeField(null=True, blank=True)
    # The last expiry warning sent (14, 7 or 1 days ahead); cleared by reconnecting.
    expiry_warned_days = models.PositiveSmallIntegerField(null=True, blank=True)
    token_error = models.TextField(blank=True, help_text="The last refresh failure")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_fetched = models.JSONField(default=dict, blank=True, help_text="The last poll's counts")

    class Meta:
        ordering: ClassVar[list[str]] = ["platform", "name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["platform", "account_id"], name="unique_channel_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shown_name} ({self.where})"

    @property
    def shown_name(self) -> str:
        return neutralise_bidi(self.name)

    @classmethod
    def labels(cls) -> dict[int, str]:
        """Every channel's id → "Name (Platform, @handle)", for pages that name many."""
        fields = ("id", "name", "handle", "platform", "account_id")
        return {channel.pk: str(channel) for channel in cls.objects.only(*fields)}

    @property
    def where(self) -> str:
        """ "Facebook, @exampleshirecc": which account on which platform (names repeat)."""
        account = self.handle or f"account {self.account_id}"
        return f"{self.get_platform_display()}, {neutralise_bidi(account)}"


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


class Note(models.Model):
    """An officer's note on a comment or on an author."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        # Not its words: a note may quote a comment's personal data (shown masked where needed).
        return f"note {self.pk}"


class Backtest(models.Model):
    """A draft rule-set version run over stored comments of a period, to see what would change."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(
        "rules.RuleSetVersion", on_delete=models.CASCADE, related_name="backtests"
    )
    since = models.DateTimeField()
    until = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"backtest of {self.version} ({self.state})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class MastodonApp(models.Model):
    """The console registered as an app on one Mastodon instance (``POST /api/v1/apps``)."""

    instance = models.CharField(max_length=200, unique=True, help_text="https://host")
    redirect_uri = models.CharField(max_length=500)
    credentials = models.TextField(help_text="Encrypted client id and secret")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.instance


class PendingConnection(models.Model):
    """Accounts a person has just authorised on a platform, waiting for them to choose which
    to connect. Holds tokens (encrypted); removed once chosen, and never kept past its time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    flow = models.CharField(max_length=20)
    accounts = models.TextField(help_text="Encrypted JSON list of the accounts and their tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.flow} for {self.user_id}"


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


class Appeal(models.Model):
    """An author's appeal against a hide or removal: recorded by an officer, decided by a
    manager."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for a manager"
        REINSTATED = "reinstated", "Upheld: reinstated"
        UPHELD_NOT_RESTORABLE = "upheld_not_restorable", "Upheld: the platform cannot restore it"
        REFUSED = "refused", "Refused: the decision stands"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="appeals")
    received_via = models.CharField(max_length=120, help_text="e.g. email, private message")
    summary = models.TextField(help_text="What the author says, in brief")
    recorded_by_label = models.CharField(max_length=300)
    recorded_at = models.DateTimeField()
    state = models.CharField(max_length=24, choices=State.choices, default=State.OPEN)
    decided_by_label = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-recorded_at"]

    def __str__(self) -> str:
        return f"appeal on comment {self.comment_id} ({self.state})"


class Person(models.Model):
    """Authors on different platforms an officer has confirmed are the same person."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"person {self.pk}"


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


class ServiceHeartbeat(models.Model):
    """When a long-running process last finished its loop (the scheduler's tick), for /healthz
    and the admins' status page. Operational telemetry, not a change anyone made: not audited,
    like a channel's ``last_polled_at``."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%H:%M:%S}"


# Registered with this app; defined beside the code that writes them.
from moderation.classifiers.models import ClassifierUsage as ClassifierUsage  # noqa: E402
from moderation.classifiers.models import OutsideScore as OutsideScore  # noqa: E402
