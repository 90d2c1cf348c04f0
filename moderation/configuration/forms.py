"""Forms for the admins' pages. They only parse and validate; views pass the cleaned values to
the audited actions in ``moderation.actions.configuration`` and ``.data_protection``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from moderation.actions.configuration import (
    MAX_RETENTION_DAYS,
    MAX_STRIKE_THRESHOLD,
    MIN_POLL_INTERVAL_SECONDS,
    MIN_RETENTION_DAYS,
)
from moderation.models import (
    NATION_CHOICES,
    PLATFORM_CHOICES,
    Channel,
    Organisation,
)
from rules.models import CATEGORY_CHOICES, RuleSet

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


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class LinesField(forms.CharField):
    """A textarea of one entry per line, cleaned to a list."""

    def __init__(self, *, rows: int = 6, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return _lines(str(value or ""))


class ChannelSettingsForm(forms.Form):
    name = forms.CharField(max_length=120)
    handle = forms.CharField(
        max_length=200,
        required=False,
        help_text="How people find the account, e.g. @exampleshirecc: shown beside the name, "
        "because several channels can share one.",
    )
    nation = forms.ChoiceField(
        choices=NATION_CHOICES, help_text="Decides which days are bank holidays."
    )
    hours_start = forms.TimeField(
        label="Monitoring starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    hours_end = forms.TimeField(
        label="Monitoring ends",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Before the start for a night shift (22:00 to 06:00 the next morning); "
        "the same as the start for 24 hours.",
    )
    all_day = forms.BooleanField(
        label="Monitored 24 hours", required=False, help_text="Ignores the times above."
    )
    hours_days = forms.MultipleChoiceField(
        label="Monitored days",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text="A night shift belongs to the day it starts on.",
    )
    bank_holidays_monitored = forms.BooleanField(
        label="Monitored on bank holidays too",
        required=False,
        help_text="Otherwise a bank holiday (of the nation above) is not monitored.",
    )
    response_target_minutes = forms.IntegerField(
        label="Response target (minutes of monitored time)", min_value=1, max_value=7 * 24 * 60
    )
    ruleset = forms.ModelChoiceField(
        label="Rule set",
        queryset=RuleSet.objects.filter(active_from__isnull=True, active_until__isnull=True),
        required=False,
        empty_label="The default rule set",
        help_text="Scheduled rule sets (pre-election) apply on top while their period lasts.",
    )
    poll_interval_seconds = forms.IntegerField(
        label="Check for new comments every (seconds)",
        min_value=MIN_POLL_INTERVAL_SECONDS,
        max_value=24 * 3600,
    )
    backfill_days = forms.IntegerField(
        label="On first connection, fetch comments from the last (days)", min_value=0, max_value=90
    )
    base_url = forms.CharField(
        label="API address",
        required=False,
        max_length=200,
        help_text="Leave blank to use the platform's own address.",
    )
    enabled = forms.BooleanField(
        label="Collect comments from this channel", required=False, initial=True
    )

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
        values = {
            name: self.cleaned_data[name]
            for name in self.base_fields
            if name in ChannelSettingsForm.base_fields and name != "all_day"
        }
        values["hours_days"] = "".join(sorted(self.cleaned_data["hours_days"]))
        return values

    @classmethod
    def initial_for(cls, channel: Channel) -> dict[str, Any]:
        initial = {
            name: getattr(channel, name)
            for name in ChannelSettingsForm.base_fields
            if name != "all_day"
        }
        initial["hours_days"] = list(channel.hours_days)
        initial["all_day"] = channel.hours_start == channel.hours_end
        return initial


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
        if self.require_one and not any(str(data.get(f) or "").strip() for f in CREDENTIAL_FIELDS):
            raise forms.ValidationError("Enter at least one credential.")
        if (
            str(data.get("refresh_token") or "").strip()
            and not str(data.get("client_id") or "").strip()
        ):
            # The connector refreshes only with both; without the id the token would sit unused.
            self.add_error("client_id", "A refresh token needs the app's client id.")
        return data

    def credentials(self) -> dict[str, str]:
        return {
            key: str(self.cleaned_data.get(field) or "").strip()
            for field, key in CREDENTIAL_FIELDS.items()
            if str(self.cleaned_data.get(field) or "").strip()
        }


class ConnectChannelForm(ChannelSettingsForm, CredentialsForm):
    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)
    account_id = forms.CharField(
        label="Account id", max_length=128, help_text="The page, account or channel id."
    )

    require_one = False  # an imported-file channel has none

    field_order = ["platform", "account_id", "name", "handle"]


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    handles = LinesField(
        label="Our own names and handles",
        help_text="One per line. Authors imitating these are flagged as impersonation.",
    )
    staff_names = LinesField(
        label="Staff, councillors, members and volunteers",
        help_text="One per line. Criticism of these people is flagged for review.",
    )
    candidates = LinesField(
        label="Election candidates",
        help_text="One per line. Promoting them is flagged as party-political.",
    )
    phones = LinesField(rows=3, label="Published phone numbers")
    emails = LinesField(rows=3, label="Published email addresses")
    postcodes = LinesField(rows=3, label="Published postcodes")
    addresses = LinesField(rows=3, label="Published addresses")
    domains = LinesField(
        rows=3, label="Our web domains", help_text="Links to these are never malicious."
    )
    contact = forms.CharField(
        label="General contact ({contact} in replies)",
        required=False,
        max_length=300,
        help_text="Leave these four blank to pick them from the published email addresses.",
    )
    foi_contact = forms.CharField(
        label="FOI contact ({foi_contact})", required=False, max_length=300
    )
    dp_contact = forms.CharField(
        label="Data protection contact ({dp_contact})", required=False, max_length=300
    )
    complaints_contact = forms.CharField(
        label="Complaints contact ({complaints_contact})", required=False, max_length=300
    )

    CONTACT_FIELDS = (
        "phones",
        "emails",
        "postcodes",
        "addresses",
        "domains",
        "contact",
        "foi_contact",
        "dp_contact",
        "complaints_contact",
    )

    def organisation_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "handles": data["handles"],
            "staff_names": data["staff_names"],
            "candidates": data["candidates"],
            "own_contacts": {k: data[k] for k in self.CONTACT_FIELDS},
        }

    @classmethod
    def initial_for(cls, org: Any) -> dict[str, Any]:
        contacts = org.own_contacts or {}
        return {
            "name": org.name,
            "handles": org.handles,
            "staff_names": org.staff_names,
            "candidates": org.candidates,
            **{
                k: contacts.get(k, [] if k in cls.CONTACT_FIELDS[:5] else "")
                for k in cls.CONTACT_FIELDS
            },
        }


class PolicyNumbersForm(forms.Form):
    strike_threshold = forms.IntegerField(
        label="Strikes before the console recommends blocking",
        min_value=1,
        max_value=MAX_STRIKE_THRESHOLD,
    )
    retention_days = forms.IntegerField(
        label="Keep comment text and personal data for (days)",
        min_value=MIN_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
        help_text="Older comments are erased every night; the facts of what was done are kept.",
    )


class AuthorSearchForm(forms.Form):
    q = forms.CharField(
        label="Handle, name or platform id", max_length=200, min_length=2, strip=True
    )
    platform = forms.ChoiceField(choices=[("", "Any platform"), *PLATFORM_CHOICES], required=False)


class ExportForm(forms.Form):
    reference = forms.CharField(
        label="Request reference",
        max_length=300,
        required=False,
        help_text="Your case number for the subject access request; kept in the audit log.",
    )
    format = forms.ChoiceField(choices=[("json", "JSON"), ("csv", "CSV")])


class ErasureForm(forms.Form):
    requested_by = forms.CharField(
        label="Who asked",
        max_length=300,
        help_text="e.g. 'The person, by email to dp@…, case DP-2026-041'.",
    )
    reason = forms.CharField(label="Why", max_length=300)
    confirm = forms.BooleanField(
        label="I understand the text of every comment by this author will be erased for good."
    )


class PeriodForm(forms.Form):
    since = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    until = forms.DateField(
        label="Until (inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The period must end after it starts.")
        return data

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The period as aware datetimes: from the start of ``since`` to the end of ``until``."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(since, dt.time.min, tzinfo=zone) if since else None
        end = (
            dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            if until
            else None
        )
        return start, end


class BacktestForm(PeriodForm):
    since = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(
        label="Until (inclusive)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ChannelsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Channel) -> str:
        return str(obj)  # "Name (Platform, @handle)": names repeat across platforms


class ReplyApprovalForm(forms.Form):
    channels = ChannelsField(
        queryset=Channel.objects.order_by("platform", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Replies on these channels wait for a manager",
    )
    categories = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Replies to comments in these categories wait for a manager",
    )


class PreElectionForm(forms.ModelForm):
    """The pre-election period: from the notice of election to polling day, both included."""

    class Meta:
        model = Organisation
        fields = ("pre_election_from", "pre_election_until")
        labels = {"pre_election_from": "Starts on", "pre_election_until": "Ends on (polling day)"}
        widgets = {
            "pre_election_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pre_election_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
