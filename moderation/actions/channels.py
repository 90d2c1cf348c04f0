"""Audited changes to channels: connecting one, its settings, its credentials and the tokens a
connector renews.

Every function records before/after in the same transaction. Credentials are never written to the
audit log: events name which credential keys are set, never their values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from secrets import token_urlsafe
from typing import Any

from django.conf import settings as conf
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.configuration import ConfigurationRefused, changed_values
from moderation.connectors.bluesky_oauth_session import FLOW as BLUESKY_OAUTH
from moderation.connectors.hosts import AddressRefused, check_api_address
from moderation.connectors.oauth_apps import OAUTH_APPS
from moderation.credentials import decrypt_credentials, encrypt_credentials
from moderation.models import NATION_CHOICES, PLATFORM_CHOICES, Channel
from moderation.models.channels import CHANNEL_NUMBER_LIMITS
from rules.models import RuleSet

PLATFORMS = frozenset(key for key, _ in PLATFORM_CHOICES)
META_PLATFORMS = frozenset({"facebook", "instagram", "threads"})
NATIONS = frozenset(key for key, _ in NATION_CHOICES)
# Fields an admin may change on a channel; cursor, status and errors belong to the poller.
CHANNEL_FIELDS = (
    "name",
    "handle",
    "nation",
    "hours_start",
    "hours_end",
    "hours_days",
    "bank_holidays_monitored",
    "response_target_minutes",
    "ruleset",
    "poll_interval_seconds",
    "backfill_days",
    "base_url",
    "enabled",
)

# --- Snapshots (what the audit log keeps) ----------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, RuleSet):
        return value.name
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def credential_keys(channel: Channel) -> list[str]:
    """Which credentials a channel has (names only), or a note that they cannot be read."""
    try:
        return sorted(decrypt_credentials(channel.credentials))
    except ValueError:
        return ["(unreadable: CREDENTIALS_KEY changed)"]


def channel_snapshot(channel: Channel) -> dict[str, Any]:
    snapshot = {name: _plain(getattr(channel, name)) for name in CHANNEL_FIELDS}
    # "login_keys" holds key names only; the audit masker would hide a key called "credentials".
    snapshot.update(
        platform=channel.platform,
        account_id=channel.account_id,
        crisis_mode=channel.crisis_mode,
        status=channel.status,
        login_keys=credential_keys(channel),
    )
    return snapshot


def _clean_credentials(credentials: Mapping[str, str]) -> dict[str, str]:
    cleaned = {str(k).strip(): str(v).strip() for k, v in credentials.items()}
    return {k: v for k, v in cleaned.items() if k and v}


# --- Channels --------------------------------------------------------------------------------


def check_channel_address(platform: str, base_url: str) -> None:
    """Refuse an API address the channel's token must not be sent to (connectors/hosts.py)."""
    if platform == "import":
        if base_url.strip():
            raise ConfigurationRefused("An imported-file channel makes no platform calls.")
        return
    try:
        check_api_address(platform, base_url, emulator_base=conf.PLATFORM_BASE_URL)
    except AddressRefused as refused:
        raise ConfigurationRefused(str(refused)) from None


def _check_channel_values(values: Mapping[str, Any]) -> None:
    if "nation" in values and values["nation"] not in NATIONS:
        raise ConfigurationRefused(f"Unknown nation {values['nation']!r}.")
    days = values.get("hours_days")
    if days is not None and (not set(days) <= set("0123456") or len(set(days)) != len(days)):
        raise ConfigurationRefused("Monitored days are digits 0 (Monday) to 6 (Sunday), each once.")
    # Any start and end will do: end before start is a night shift, end equal to start 24 hours.
    # The bounds are the model fields' validators, the ones the settings form applies.
    for field, (low, high) in CHANNEL_NUMBER_LIMITS.items():
        value = values.get(field)
        if value is None:
            continue
        model_field = Channel._meta.get_field(field)
        assert isinstance(model_field, models.Field)
        try:
            model_field.run_validators(value)
        except ValidationError:
            label = field.replace("_", " ")
            raise ConfigurationRefused(f"The {label} is from {low} to {high}.") from None
    name = values.get("name")
    if name is not None and not str(name).strip():
        raise ConfigurationRefused("A channel needs a name.")


@transaction.atomic
def do_connect_channel(
    *,
    platform: str,
    account_id: str,
    name: str,
    credentials: Mapping[str, str],
    actor: Actor,
    **settings: Any,
) -> Channel:
    """Add a channel. Credentials are encrypted at once; only their key names are audited."""
    if platform not in PLATFORMS:
        raise ConfigurationRefused(f"Unknown platform {platform!r}.")
    account_id = account_id.strip()
    if not account_id:
        raise ConfigurationRefused("A channel needs the platform's page, account or channel id.")
    unknown = set(settings) - set(CHANNEL_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown channel settings: {', '.join(sorted(unknown))}.")
    _check_channel_values({"name": name, **settings})
    check_channel_address(platform, str(settings.get("base_url") or ""))
    if Channel.objects.filter(platform=platform, account_id=account_id).exists():
        raise ConfigurationRefused("That account is already connected.")
    secrets = _clean_credentials(credentials)
    channel = Channel(
        platform=platform,
        account_id=account_id[:128],
        name=name.strip()[:120],
        credentials=encrypt_credentials(secrets) if secrets else "",
        webhook_verify_token=new_verify_token() if platform in META_PLATFORMS else "",
        **settings,
    )
    return insert_channel(channel, actor=actor)


def insert_channel(
    channel: Channel, *, actor: Actor, after: Mapping[str, Any] | None = None
) -> Channel:
    """Save a new channel and record its connection; the caller's transaction holds both."""
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        raise ConfigurationRefused("That account is already connected.") from None
    record(
        "moderation.channel.connected",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        after={**channel_snapshot(channel), **(after or {})},
    )
    return channel


@transaction.atomic
def do_update_channel(channel: Channel, changes: Mapping[str, Any], *, actor: Actor) -> bool:
    """Change a channel's settings; returns False (and records nothing) if nothing changed."""
    unknown = set(changes) - set(CHANNEL_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown channel settings: {', '.join(sorted(unknown))}.")
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    merged = {name: changes.get(name, getattr(channel, name)) for name in CHANNEL_FIELDS}
    _check_channel_values(merged)
    check_channel_address(channel.platform, str(merged["base_url"] or ""))
    before = channel_snapshot(channel)
    for name, value in changes.items():
        setattr(channel, name, value.strip() if isinstance(value, str) else value)
    update_fields = list(changes)
    if channel.base_url != before["base_url"] and channel.credentials:
        # The token was issued for the old address's platform: never send it to the new one.
        channel.credentials = ""
        update_fields.append("credentials")
    if "enabled" in changes and changes["enabled"] != before["enabled"]:
        # A paused channel is not polled (the scheduler skips disabled channels); say so.
        channel.status = Channel.Status.OK if channel.enabled else Channel.Status.PAUSED
        update_fields.append("status")
    old, new = changed_values(before, channel_snapshot(channel))
    if not new:
        return False
    channel.save(update_fields=update_fields)
    record(
        "moderation.channel.updated",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=old,
        after=new,
    )
    return True


@transaction.atomic
def do_replace_channel_credentials(
    channel: Channel, credentials: Mapping[str, str], *, actor: Actor
) -> None:
    """Replace every credential of a channel. The audit names the keys, never the values."""
    secrets = _clean_credentials(credentials)
    if not secrets:
        raise ConfigurationRefused("Enter at least one credential to replace the stored ones.")
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    before = {"login_keys": credential_keys(channel)}
    channel.credentials = encrypt_credentials(secrets)
    channel.save(update_fields=["credentials"])
    record(
        "moderation.channel.credentials_replaced",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=before,
        after={"login_keys": sorted(secrets)},
    )


@transaction.atomic
def do_record_refreshed_credentials(
    channel_id: int, credentials: Mapping[str, str], *, actor: Actor
) -> None:
    """Keep the access token a connector has just refreshed (and X's new refresh token).

    Called by the connector, outside any other transaction, as soon as the platform answers:
    X's old refresh token no longer works, so losing the new one would disconnect the channel.
    """
    channel = Channel.objects.select_for_update().get(pk=channel_id)
    channel.credentials = encrypt_credentials(dict(credentials))
    # When the new token ends, where the platform said (the connectors and moderation/tokens.py
    # put it in the credentials as `access_token_expires_at`), else its documented lifetime.
    access_ends = _moment(credentials.get("access_token_expires_at"))
    if access_ends is None and (app := OAUTH_APPS.get(channel.connected_with)) is not None:
        access_ends = timezone.now() + app.access_lifetime if app.access_lifetime else None
    refresh_ends = _moment(credentials.get("refresh_token_expires_at"))
    channel.token_expires_at = access_ends
    channel.reconnect_by = reconnect_by(
        channel.connected_with, credentials, access_ends, refresh_ends
    )
    channel.expiry_warned_days = None
    channel.token_error = ""
    channel.save(
        update_fields=[
            "credentials",
            "token_expires_at",
            "reconnect_by",
            "expiry_warned_days",
            "token_error",
        ]
    )
    record(
        "moderation.channel.token_refreshed",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        after={"login_keys": sorted(credentials)},
    )


def _moment(value: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def reconnect_by(
    flow: str,
    credentials: Mapping[str, str],
    access_expires_at: dt.datetime | None,
    refresh_expires_at: dt.datetime | None,
) -> dt.datetime | None:
    """When a person must reconnect: the refresh token's end where the worker can renew the
    access token (Threads and Instagram Login renew with the token itself, so never while
    renewals work), else the access token's own end (None: it does not expire)."""
    return refresh_expires_at if can_renew(flow, credentials) else access_expires_at


def can_renew(flow: str, credentials: Mapping[str, str]) -> bool:
    """Whether the worker can renew this channel's token without a person: Threads and
    Instagram Login renew with the token itself, the others need a refresh token (LinkedIn
    issues one only to apps it has approved for them)."""
    if flow == BLUESKY_OAUTH:  # the connector renews its session with the refresh token
        return bool(credentials.get("refresh_token"))
    app = OAUTH_APPS.get(flow)
    if app is None or not app.refresh:
        return False
    return app.refresh == "meta" or bool(credentials.get("refresh_token"))


def new_verify_token() -> str:
    """The token Meta's webhook verification must carry (``channel_webhooks``)."""
    return token_urlsafe(24)
