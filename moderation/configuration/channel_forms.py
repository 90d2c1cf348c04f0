"""The forms of a channel's page and of connecting one by hand: its settings (a ModelForm of
``Channel``) and its credentials (a plain Form: they become one encrypted field, never shown back).
Views pass the cleaned values to the audited actions in ``moderation.actions.channels``."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar, cast

from django import forms
from django.core.validators import URLValidator

from moderation.actions.channels import CHANNEL_FIELDS
from moderation.models import Channel
from moderation.models.channels import CHANNEL_NUMBER_LIMITS
from rules.fields import VisibleControlsCharField
from rules.models import RuleSet

WEEKDAYS = [
    ("0", "Mon"),
    ("1", "Tue"),
    ("2", "Wed"),
    ("3", "Thu"),
    ("4", "Fri"),
    ("5", "Sat"),
    ("6", "Sun"),
]
# Credential fields as the connectors read them (moderation/connectors/*.py); the form field
# "app_password" is stored as "password" so a browser never pre-fills a sign-in password.
CREDENTIAL_FIELDS = {
    "access_token": "access_token",
    "app_secret": "app_secret",
    "identifier": "identifier",
    "app_password": "password",
    "refresh_token": "refresh_token",
    "client_id": "client_id",
    "client_secret": "client_secret",
}


class ChannelSettingsForm(forms.ModelForm):
    """A channel's settings (``CHANNEL_FIELDS``), as the model defines them. The monitored days
    are ticked as weekdays and stored as digits; "24 hours" is a shift that ends when it starts.
    The numbers' bounds are the model fields' validators (``CHANNEL_NUMBER_LIMITS``), which the
    model's validation applies; they are also given to the browser as min and max."""

    all_day = forms.BooleanField(
        label="Monitored 24 hours", required=False, help_text="Ignores the times above."
    )
    hours_days = forms.MultipleChoiceField(
        label="Monitored days",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text="A night shift belongs to the day it starts on.",
    )

    class Meta:
        model = Channel
        fields: tuple[str, ...] = CHANNEL_FIELDS
        labels: ClassVar[dict[str, str]] = {
            "hours_start": "Monitoring starts",
            "hours_end": "Monitoring ends",
            "bank_holidays_monitored": "Monitored on bank holidays too",
            "response_target_minutes": "Response target (minutes of monitored time)",
            "ruleset": "Rule set",
            "poll_interval_seconds": "Check for new comments every (seconds)",
            "backfill_days": "On first connection, fetch comments from the last (days)",
            "base_url": "API address",
            "enabled": "Collect comments from this channel",
        }
        help_texts: ClassVar[dict[str, str]] = {
            "handle": "How people find the account, e.g. @exampleshirecc: shown beside the name, "
            "because several channels can share one.",
            "nation": "Decides which days are bank holidays.",
            "hours_end": "Before the start for a night shift (22:00 to 06:00 the next morning); "
            "the same as the start for 24 hours.",
            "bank_holidays_monitored": "Otherwise a bank holiday (of the nation above) is not "
            "monitored.",
            "ruleset": "Scheduled rule sets (pre-election) apply on top while their period lasts.",
            "base_url": "Leave blank to use the platform's own address.",
        }
        widgets: ClassVar[dict[str, Any]] = {
            "hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        # Names from a platform or an admin: tokens for direction controls, saved as they were.
        field_classes: ClassVar[dict[str, Any]] = {
            "name": VisibleControlsCharField,
            "handle": VisibleControlsCharField,
        }

    field_order = ["name", "handle", "nation", "hours_start", "hours_end", "all_day"]

    def __init__(self, *args: Any, instance: Channel | None = None, **kwargs: Any) -> None:
        # Validation writes the typed values onto the instance: keep the caller's one as saved.
        kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        self.initial["hours_days"] = list(self.instance.hours_days)
        self.initial["all_day"] = self.instance.hours_start == self.instance.hours_end
        ruleset = cast(forms.ModelChoiceField, self.fields["ruleset"])
        # Scheduled rule sets are chosen on their own page, for a period, not per channel.
        ruleset.queryset = RuleSet.objects.filter(
            active_from__isnull=True, active_until__isnull=True
        )
        ruleset.empty_label = "The default rule set"
        for name, (low, high) in CHANNEL_NUMBER_LIMITS.items():
            self.fields[name].widget.attrs.update(min=low, max=high)

    def clean_hours_days(self) -> str:
        return "".join(sorted(self.cleaned_data["hours_days"]))

    def clean_base_url(self) -> str:
        value = str(self.cleaned_data.get("base_url") or "").strip()
        if value:
            URLValidator(schemes=["http", "https"])(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("all_day"):
            # 24 hours is stored as a shift that ends when it starts, from midnight.
            data["hours_start"] = data["hours_end"] = dt.time(0, 0)
        return data

    def channel_values(self) -> dict[str, Any]:
        """The cleaned values as the channel actions take them."""
        return {name: self.cleaned_data[name] for name in CHANNEL_FIELDS}


def _secret_field(
    label: str, help_text: str, *, max_length: int = 4000, autocomplete: str = "off"
) -> forms.CharField:
    """A credential input that never shows what is stored or was typed."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": autocomplete}),
        help_text=help_text,
    )


class CredentialsForm(forms.Form):
    """Credentials are typed once and never shown again: the inputs never carry a value."""

    access_token = _secret_field(
        "Access token", "Facebook, Instagram, Threads, YouTube, X, LinkedIn, TikTok, Mastodon."
    )
    app_secret = _secret_field(
        "App secret", "Meta apps (Facebook, Instagram, Threads): signs every call."
    )
    identifier = _secret_field(
        "Account identifier", "Bluesky: the account's handle or DID.", max_length=300
    )
    app_password = _secret_field(
        "App password",
        "Bluesky: an app password, not the account's own password.",
        autocomplete="new-password",
    )
    refresh_token = _secret_field(
        "Refresh token",
        "YouTube, X: renews the access token when it expires (about every hour or two).",
    )
    client_id = _secret_field(
        "App client id",
        "YouTube, X: the OAuth client the refresh token was issued to.",
        max_length=300,
    )
    client_secret = _secret_field("App client secret", "YouTube; X only for a confidential client.")

    require_one = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_credentials(data)
        return data

    def check_credentials(self, data: dict[str, Any]) -> None:
        if self.require_one and not any(str(data.get(f) or "").strip() for f in CREDENTIAL_FIELDS):
            raise forms.ValidationError("Enter at least one credential.")
        if (
            str(data.get("refresh_token") or "").strip()
            and not str(data.get("client_id") or "").strip()
        ):
            # The connector refreshes only with both; without the id the token would sit unused.
            self.add_error("client_id", "A refresh token needs the app's client id.")

    def credentials(self) -> dict[str, str]:
        return {
            key: str(self.cleaned_data.get(field) or "").strip()
            for field, key in CREDENTIAL_FIELDS.items()
            if str(self.cleaned_data.get(field) or "").strip()
        }


class ConnectChannelForm(ChannelSettingsForm, CredentialsForm):
    """A new channel: the platform's account, its settings and (except imported files) its
    credentials. The model refuses an account that is already connected."""

    require_one = False  # an imported-file channel has none

    class Meta(ChannelSettingsForm.Meta):
        fields = ("platform", "account_id", *CHANNEL_FIELDS)
        labels: ClassVar[dict[str, str]] = {
            **ChannelSettingsForm.Meta.labels,
            "account_id": "Account id",
        }
        help_texts: ClassVar[dict[str, str]] = {
            **ChannelSettingsForm.Meta.help_texts,
            "account_id": "The page, account or channel id.",
        }

    field_order = ["platform", "account_id", *ChannelSettingsForm.field_order]

    def clean(self) -> dict[str, Any]:
        # ModelForm.clean does not hand on to CredentialsForm.clean, so check them here.
        data = super().clean()
        self.check_credentials(data)
        return data
