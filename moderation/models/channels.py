"""The body's accounts on the platforms (channels), and what connecting one leaves behind:
an app registered on a Mastodon instance, accounts authorised but not yet chosen."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.names import neutralise_bidi

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
NATION_CHOICES = [
    ("england", "England"),
    ("wales", "Wales"),
    ("scotland", "Scotland"),
    ("northern_ireland", "Northern Ireland"),
]


# A channel's numbers, lowest and highest: the fields' validators hold them, so the settings form
# (through the model's validation) and the actions (through the same validators) apply one
# definition. Polling more often than every 10 seconds gets an account rate-limited.
MIN_POLL_INTERVAL_SECONDS = 10
CHANNEL_NUMBER_LIMITS = {
    "response_target_minutes": (1, 7 * 24 * 60),
    "poll_interval_seconds": (MIN_POLL_INTERVAL_SECONDS, 24 * 3600),
    "backfill_days": (0, 90),
}


def _bounded(name: str) -> list[MinValueValidator | MaxValueValidator]:
    low, high = CHANNEL_NUMBER_LIMITS[name]
    return [MinValueValidator(low), MaxValueValidator(high)]


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
        default=240,
        help_text="First action due within this much monitored time",
        validators=_bounded("response_target_minutes"),
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
    poll_interval_seconds = models.PositiveIntegerField(
        default=120, validators=_bounded("poll_interval_seconds")
    )
    backfill_days = models.PositiveSmallIntegerField(
        default=7, validators=_bounded("backfill_days")
    )
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
    # How the credentials were obtained: an OAuth flow (connectors/oauth_apps.py OAUTH_APPS),
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
