"""Audited changes to configuration: channels, credentials, reply templates, escalation routes,
the organisation, crisis mode, the strike threshold and the retention period.

Every function records before/after in the same transaction. Credentials are never written to the
audit log: events name which credential keys are set, never their values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from secrets import token_urlsafe
from typing import Any

from django.conf import settings as conf
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.connectors.authorization import OAUTH_APPS
from moderation.connectors.bluesky_oauth_session import FLOW as BLUESKY_OAUTH
from moderation.connectors.hosts import AddressRefused, check_api_address
from moderation.credentials import decrypt_credentials, encrypt_credentials
from moderation.models import (
    NATION_CHOICES,
    PLATFORM_CHOICES,
    Channel,
    EscalationRoute,
    Organisation,
    ReplyTemplate,
)
from rules.models import RuleSet
from smpolicy.queue import enqueue_on_commit

PLATFORMS = frozenset(key for key, _ in PLATFORM_CHOICES)
META_PLATFORMS = frozenset({"facebook", "instagram", "threads"})
VERIFY_TOKEN = re.compile(r"[A-Za-z0-9_.\-]{16,100}")
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
MIN_POLL_INTERVAL_SECONDS = 10
# A channel's numbers, lowest and highest, for the settings form and every other caller alike;
# polling more often than every 10 seconds gets an account rate-limited.
CHANNEL_NUMBER_LIMITS = {
    "response_target_minutes": (1, 7 * 24 * 60),
    "poll_interval_seconds": (MIN_POLL_INTERVAL_SECONDS, 24 * 3600),
    "backfill_days": (0, 90),
}
TEMPLATE_FIELDS = (
    "name",
    "body",
    "for_categories",
    "offered_first_in_crisis",
    "active",
    "position",
)
ROUTE_FIELDS = ("name", "email", "deadline_kind", "deadline_amount")
ORGANISATION_FIELDS = ("name", "handles", "own_contacts", "staff_names", "candidates")
CONTACT_LIST_KEYS = ("phones", "emails", "postcodes", "addresses", "domains")
CONTACT_TEXT_KEYS = ("contact", "foi_contact", "dp_contact", "complaints_contact")
MAX_LIST_ITEMS = 500
MAX_STRIKE_THRESHOLD = 100
# Short periods would erase comments while their statutory clocks (FOI: 20 working days, subject
# access: one month) may still be running, so the console refuses them.
MIN_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650


class ConfigurationRefused(ValueError):
    """A configuration change that cannot be made; the message says why, in plain words."""


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


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, so an event reads as a diff."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


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
    for field, (low, high) in CHANNEL_NUMBER_LIMITS.items():
        value = values.get(field)
        if value is not None and not low <= value <= high:
            label = field.replace("_", " ")
            raise ConfigurationRefused(f"The {label} is from {low} to {high}.")
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
    old, new = _changes(before, channel_snapshot(channel))
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


# --- Meta webhooks ---------------------------------------------------------------------------


def new_verify_token() -> str:
    return token_urlsafe(24)


@transaction.atomic
def do_set_webhook_verify_token(channel: Channel, token: str, *, actor: Actor) -> str:
    """Set the token Meta's verification request must carry ("" makes a new random one). It is
    typed into Meta's app dashboard, so it is shown to admins; the audit names no value."""
    token = token.strip() or new_verify_token()
    if channel.platform not in META_PLATFORMS:
        raise ConfigurationRefused("Only Facebook, Instagram and Threads channels have webhooks.")
    if not VERIFY_TOKEN.fullmatch(token):
        raise ConfigurationRefused(
            "A verify token is 16 to 100 letters, digits, dots, dashes or underscores."
        )
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    changed = channel.webhook_verify_token != token
    channel.webhook_verify_token = token
    channel.save(update_fields=["webhook_verify_token"])
    if changed:
        record(
            "moderation.channel.webhook_verify_token_set",
            actor=actor,
            target=channel,
            channel_id=channel.pk,
            after={"verify_token_set": True},
        )
    return token


@transaction.atomic
def do_request_webhook_subscription(channel: Channel, *, actor: Actor) -> None:
    """Ask a worker to subscribe the channel's Page or Instagram account to the app
    (`POST /{id}/subscribed_apps`); without it Meta delivers nothing."""
    if channel.platform not in ("facebook", "instagram"):
        raise ConfigurationRefused(
            "Only Facebook Pages and Instagram accounts are subscribed from here; Threads "
            "webhooks are set in the Meta app dashboard."
        )
    record(
        "moderation.channel.webhook_subscription_requested",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
    )
    enqueue_on_commit("default", "moderation.jobs.subscribe_channel_to_webhooks", channel.pk)


@transaction.atomic
def do_record_webhook_subscription(channel: Channel, error: str, *, actor: Actor) -> None:
    """Record the platform's answer to a subscription: subscribed now, or why not."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if error:
        channel.webhooks_error = error[:2000]
    else:
        channel.webhooks_subscribed_at = dt.datetime.now(dt.UTC)
        channel.webhooks_error = ""
    channel.save(update_fields=["webhooks_subscribed_at", "webhooks_error"])
    record(
        "moderation.channel.webhooks_subscribed"
        if not error
        else "moderation.channel.webhook_subscription_failed",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        after={"error": channel.webhooks_error, "subscribed_at": channel.webhooks_subscribed_at},
    )


# --- Crisis mode -----------------------------------------------------------------------------


def _organisation_for_update() -> Organisation:
    org = Organisation.objects.select_for_update().order_by("id").first()
    if org is None:
        org = Organisation.objects.create()
    return org


@transaction.atomic
def do_set_crisis_mode(channel: Channel | None, on: bool, *, actor: Actor) -> bool:
    """Switch crisis mode on or off for one channel, or (channel None) for every channel.

    While it is on, evaluation holds every flagged comment for review and the console offers the
    listening response first. Returns False if the switch was already in that position.
    """
    event = "moderation.crisis_mode.switched_on" if on else "moderation.crisis_mode.switched_off"
    if channel is None:
        org = _organisation_for_update()
        if org.crisis_mode == on:
            return False
        org.crisis_mode = on
        org.save(update_fields=["crisis_mode"])
        record(
            event,
            actor=actor,
            target=org,
            before={"crisis_mode": not on, "scope": "all channels"},
            after={"crisis_mode": on, "scope": "all channels"},
        )
        return True
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.crisis_mode == on:
        return False
    channel.crisis_mode = on
    channel.save(update_fields=["crisis_mode"])
    record(
        event,
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before={"crisis_mode": not on, "scope": str(channel)},
        after={"crisis_mode": on, "scope": str(channel)},
    )
    return True


# --- Reply templates -------------------------------------------------------------------------


def template_snapshot(template: ReplyTemplate) -> dict[str, Any]:
    return {"key": template.key, **{f: getattr(template, f) for f in TEMPLATE_FIELDS}}


@transaction.atomic
def do_save_reply_template(
    template: ReplyTemplate | None,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    key: str = "",
) -> ReplyTemplate:
    """Add a template (``template`` None, with a new ``key``) or change one."""
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown template fields: {', '.join(sorted(unknown))}.")
    if template is None:
        if not key or ReplyTemplate.objects.filter(key=key).exists():
            raise ConfigurationRefused("Choose a short key that no other template uses.")
        template = ReplyTemplate(key=key)
        before = None
    else:
        template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
        before = template_snapshot(template)
    for name, value in fields.items():
        setattr(template, name, value)
    try:
        template.full_clean()
    except ValidationError as error:
        raise ConfigurationRefused(_first_message(error)) from None
    template.save()
    after = template_snapshot(template)
    old, new = _changes(before or {}, after) if before else (None, after)
    if before and not new:
        return template
    record(
        "moderation.reply_template.saved",
        actor=actor,
        target=template,
        before=old,
        after=new,
    )
    return template


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return f"{field.replace('_', ' ')}: {messages[0]}"
    return error.messages[0] if error.messages else "That is not valid."


# --- Escalation routes -----------------------------------------------------------------------


def route_snapshot(route: EscalationRoute) -> dict[str, Any]:
    return {"key": route.key, **{f: getattr(route, f) for f in ROUTE_FIELDS}}


@transaction.atomic
def do_save_escalation_route(
    route: EscalationRoute | None,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    key: str = "",
) -> EscalationRoute:
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown route fields: {', '.join(sorted(unknown))}.")
    if route is None:
        if not key or EscalationRoute.objects.filter(key=key).exists():
            raise ConfigurationRefused("Choose a short key that no other route uses.")
        route = EscalationRoute(key=key)
        before = None
    else:
        route = EscalationRoute.objects.select_for_update().get(pk=route.pk)
        before = route_snapshot(route)
    for name, value in fields.items():
        setattr(route, name, value)
    try:
        route.full_clean()
    except ValidationError as error:
        raise ConfigurationRefused(_first_message(error)) from None
    route.save()
    after = route_snapshot(route)
    old, new = _changes(before, after) if before else (None, after)
    if before and not new:
        return route
    record("moderation.route.saved", actor=actor, target=route, before=old, after=new)
    return route


# --- The organisation ------------------------------------------------------------------------


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    return {
        **{f: getattr(org, f) for f in ORGANISATION_FIELDS},
        "strike_threshold": org.strike_threshold,
        "retention_days": org.retention_days,
        "crisis_mode": org.crisis_mode,
    }


def _clean_list(values: Sequence[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = str(value).strip()[:300]
        if text:
            seen.setdefault(text, None)
    if len(seen) > MAX_LIST_ITEMS:
        raise ConfigurationRefused(f"A list can hold at most {MAX_LIST_ITEMS} entries.")
    return list(seen)


def _clean_contacts(contacts: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in CONTACT_LIST_KEYS:
        cleaned[key] = _clean_list(contacts.get(key) or [])
    for key in CONTACT_TEXT_KEYS:
        cleaned[key] = str(contacts.get(key) or "").strip()[:300]
    for email in cleaned["emails"]:
        try:
            validate_email(email)
        except ValidationError:
            raise ConfigurationRefused(f"{email[:80]!r} is not an email address.") from None
    return cleaned


@transaction.atomic
def do_update_organisation(fields: Mapping[str, Any], *, actor: Actor) -> Organisation:
    """The organisation's name, handles, published contacts, staff and candidate names."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown organisation fields: {', '.join(sorted(unknown))}.")
    org = _organisation_for_update()
    before = organisation_snapshot(org)
    if "name" in fields:
        name = str(fields["name"]).strip()[:200]
        if not name:
            raise ConfigurationRefused("The organisation needs a name.")
        org.name = name
    for name in ("handles", "staff_names", "candidates"):
        if name in fields:
            setattr(org, name, _clean_list(fields[name]))
    if "own_contacts" in fields:
        org.own_contacts = _clean_contacts(fields["own_contacts"])
    old, new = _changes(before, organisation_snapshot(org))
    if new:
        org.save()
        record("moderation.organisation.updated", actor=actor, target=org, before=old, after=new)
    return org


@transaction.atomic
def do_set_strike_threshold(threshold: int, *, actor: Actor) -> None:
    if not 1 <= threshold <= MAX_STRIKE_THRESHOLD:
        raise ConfigurationRefused(f"The strike threshold is from 1 to {MAX_STRIKE_THRESHOLD}.")
    org = _organisation_for_update()
    if org.strike_threshold == threshold:
        return
    before = {"strike_threshold": org.strike_threshold}
    org.strike_threshold = threshold
    org.save(update_fields=["strike_threshold"])
    record(
        "moderation.organisation.strike_threshold_set",
        actor=actor,
        target=org,
        before=before,
        after={"strike_threshold": threshold},
    )


@transaction.atomic
def do_set_retention_days(days: int, *, actor: Actor) -> None:
    """How long comment text and personal data are kept (``apply_retention`` erases the rest)."""
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise ConfigurationRefused(
            f"Keep comments for {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days: shorter periods "
            "would erase comments whose FOI or subject access deadlines may still be running."
        )
    org = _organisation_for_update()
    if org.retention_days == days:
        return
    before = {"retention_days": org.retention_days}
    org.retention_days = days
    org.save(update_fields=["retention_days"])
    record(
        "moderation.organisation.retention_set",
        actor=actor,
        target=org,
        before=before,
        after={"retention_days": days},
    )
