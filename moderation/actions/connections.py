"""Audited changes to a channel's connection: connecting in the browser, reconnecting,
disconnecting, a token refreshed or refused, an expiry warning sent, a Mastodon app registered.

The platform calls (the token exchange, listing accounts, registering an app, refreshing) are
made before these run, outside any transaction (`moderation/connecting.py`,
`moderation/tokens.py`); each action then stores what the platform answered, encrypted, in one
transaction with its audit event. Audit events name credential keys, never their values. Jobs
are enqueued by dotted path, after the commit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from accounts.models import User
from moderation.actions.channels import (
    META_PLATFORMS,
    insert_channel,
    new_verify_token,
    reconnect_by,
)
from moderation.actions.configuration import ConfigurationRefused
from moderation.connectors.accounts import Account
from moderation.connectors.authorization import Client
from moderation.connectors.oauth_apps import ISSUED_AT, OAUTH_APPS
from moderation.credentials import decrypt_credentials, encrypt_credentials
from moderation.models import Channel, MastodonApp, PendingConnection
from smpolicy.queue import enqueue_on_commit

PENDING_FOR = dt.timedelta(minutes=15)
# Meta platforms whose accounts are subscribed to the app for webhooks once connected.
SUBSCRIBED_FOR_WEBHOOKS = frozenset({"facebook", "instagram"})


# --- Expiry -----------------------------------------------------------------------------------


def _when(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else None
    return None


def expiry_keys(
    access_expires_at: dt.datetime | None, refresh_expires_at: dt.datetime | None
) -> dict[str, str]:
    """Expiry times as the connectors hand them to `on_refresh` (ISO 8601 in the credentials)."""
    keys = {}
    if access_expires_at:
        keys["access_token_expires_at"] = access_expires_at.isoformat()
    if refresh_expires_at:
        keys["refresh_token_expires_at"] = refresh_expires_at.isoformat()
    return keys


def _set_tokens(channel: Channel, flow: str, account: Account) -> list[str]:
    secrets = {
        **{k: v for k, v in account.credentials.items() if v},
        **expiry_keys(account.access_expires_at, account.refresh_expires_at),
    }
    if secrets.get("access_token"):  # Meta renews a token only once it is a day old
        secrets[ISSUED_AT] = timezone.now().isoformat()
    channel.credentials = encrypt_credentials(secrets)
    channel.connected_with = flow
    channel.token_expires_at = account.access_expires_at
    channel.reconnect_by = reconnect_by(
        flow, secrets, account.access_expires_at, account.refresh_expires_at
    )
    channel.expiry_warned_days = None
    channel.token_error = ""
    return sorted(secrets)


# --- Connecting in the browser ----------------------------------------------------------------


def _accounts_json(accounts: Sequence[Account]) -> str:
    return json.dumps(
        [
            {
                "platform": a.platform,
                "account_id": a.account_id,
                "name": a.name,
                "credentials": dict(a.credentials),
                "access_expires_at": a.access_expires_at.isoformat() if a.access_expires_at else "",
                "refresh_expires_at": a.refresh_expires_at.isoformat()
                if a.refresh_expires_at
                else "",
                "base_url": a.base_url,
                "note": a.note,
            }
            for a in accounts
        ]
    )


def pending_accounts(pending: PendingConnection) -> list[Account]:
    """The accounts a pending connection offers (decrypted; only for its own user's pages)."""
    rows = json.loads(decrypt_credentials(pending.accounts).get("accounts", "[]"))
    return [
        Account(
            platform=row["platform"],
            account_id=row["account_id"],
            name=row["name"],
            credentials=row["credentials"],
            access_expires_at=_when(row.get("access_expires_at")),
            refresh_expires_at=_when(row.get("refresh_expires_at")),
            base_url=row.get("base_url", ""),
            note=row.get("note", ""),
        )
        for row in rows
    ]


@transaction.atomic
def do_record_authorization(
    flow: str, accounts: Sequence[Account], *, actor: User
) -> PendingConnection:
    """Keep, for a quarter of an hour, the accounts a person has just authorised, so they can
    choose which to connect. Earlier pending choices of the same person are dropped."""
    if flow not in OAUTH_APPS:
        raise ConfigurationRefused(f"Unknown way of connecting {flow!r}.")
    PendingConnection.objects.filter(user=actor).delete()
    PendingConnection.objects.filter(expires_at__lt=timezone.now()).delete()
    pending = PendingConnection.objects.create(
        user=actor,
        flow=flow,
        accounts=encrypt_credentials({"accounts": _accounts_json(accounts)}),
        expires_at=timezone.now() + PENDING_FOR,
    )
    record(
        "moderation.channel.authorized",
        actor=actor,
        target=pending,
        target_repr=f"{OAUTH_APPS[flow].label} sign-in",
        data={
            "flow": flow,
            "accounts": [{"account_id": a.account_id, "name": a.name} for a in accounts],
        },
    )
    return pending


@transaction.atomic
def do_connect_authorized_accounts(
    pending: PendingConnection, account_ids: Sequence[str], *, actor: User
) -> list[Channel]:
    """Connect the chosen accounts as channels (an account already connected is reconnected).

    After the commit each new channel is polled (its backfill) and Meta accounts are
    subscribed to the app's webhooks.
    """
    pending = PendingConnection.objects.select_for_update().get(pk=pending.pk)
    if pending.user_id != actor.pk or pending.expires_at < timezone.now():
        raise ConfigurationRefused("That sign-in has expired. Connect again.")
    offered = {a.account_id: a for a in pending_accounts(pending)}
    chosen = [offered[i] for i in account_ids if i in offered]
    if not chosen:
        raise ConfigurationRefused("Choose at least one account to connect.")
    channels = []
    for account in chosen:
        existing = Channel.objects.filter(
            platform=account.platform, account_id=account.account_id
        ).first()
        if existing is not None:
            channels.append(_reconnect(existing, pending.flow, account, actor=actor))
            continue
        channels.append(_connect(pending.flow, account, actor=actor))
    pending.delete()
    return channels


def _connect(flow: str, account: Account, *, actor: Actor) -> Channel:
    channel = Channel(
        platform=account.platform,
        account_id=account.account_id[:128],
        name=account.name[:120],
        base_url=account.base_url,
        # Typed into Meta's app dashboard; shown on the channel page (views_webhooks.py).
        webhook_verify_token=new_verify_token() if account.platform in META_PLATFORMS else "",
    )
    _set_tokens(channel, flow, account)
    insert_channel(channel, actor=actor, after={"connected_with": flow})
    _after_connecting(channel)
    return channel


def _after_connecting(channel: Channel) -> None:
    enqueue_on_commit("ingest", "moderation.jobs.poll_channel", channel.pk)
    _subscribe_for_webhooks(channel)


def _subscribe_for_webhooks(channel: Channel) -> None:
    """Meta delivers nothing for a Page or Instagram account not subscribed to the app
    (`POST /{id}/subscribed_apps`, done by a worker: `subscribe_channel_to_webhooks`)."""
    if channel.platform in SUBSCRIBED_FOR_WEBHOOKS:
        enqueue_on_commit("default", "moderation.jobs.subscribe_channel_to_webhooks", channel.pk)


def _reconnect(channel: Channel, flow: str, account: Account, *, actor: Actor) -> Channel:
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if (channel.platform, channel.account_id) != (account.platform, account.account_id):
        raise ConfigurationRefused(
            f"You signed in as {account.name}, which is not {channel.name}'s account."
        )
    before = {
        "login_keys": sorted(_readable(channel)),
        "status": channel.status,
        "last_error": channel.last_error,
        "connected_with": channel.connected_with,
        "reconnect_by": _iso(channel.reconnect_by),
    }
    keys = _set_tokens(channel, flow, account)
    if account.base_url:
        channel.base_url = account.base_url
    channel.status = Channel.Status.OK if channel.enabled else Channel.Status.PAUSED
    channel.last_error = ""  # the old token's error; the backfill poll reports afresh
    channel.save()
    record(
        "moderation.channel.reconnected",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=before,
        after={
            "login_keys": keys,
            "status": channel.status,
            "last_error": "",
            "connected_with": flow,
            "reconnect_by": _iso(channel.reconnect_by),
        },
    )
    # What was missed while the channel was broken is read back (moderation/tokens.py).
    enqueue_on_commit("ingest", "moderation.tokens.backfill_channel", channel.pk)
    _subscribe_for_webhooks(channel)
    return channel


@transaction.atomic
def do_reconnect_channel(channel: Channel, flow: str, account: Account, *, actor: Actor) -> Channel:
    """Replace a channel's tokens with ones the person has just granted, and read back what was
    missed since its last successful poll."""
    return _reconnect(channel, flow, account, actor=actor)


@transaction.atomic
def do_connect_account(flow: str, account: Account, *, actor: Actor) -> Channel:
    """Connect one account signed in to without OAuth (a Bluesky app password)."""
    return _connect(flow, account, actor=actor)


@transaction.atomic
def do_disconnect_channel(channel: Channel, *, actor: Actor) -> bool:
    """Forget a channel's credentials and stop polling it; its comments and history stay.
    Returns False if it had nothing to forget and was already paused."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if not channel.credentials and not channel.enabled:
        return False
    before = {
        "login_keys": sorted(_readable(channel)),
        "enabled": channel.enabled,
        "connected_with": channel.connected_with,
    }
    channel.credentials = ""
    channel.enabled = False
    channel.status = Channel.Status.PAUSED
    channel.connected_with = ""
    channel.token_expires_at = None
    channel.reconnect_by = None
    channel.expiry_warned_days = None
    channel.token_error = ""
    channel.save()
    record(
        "moderation.channel.disconnected",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=before,
        after={"login_keys": [], "enabled": False, "connected_with": ""},
    )
    return True


# --- Tokens kept alive by the worker ---------------------------------------------------------


@transaction.atomic
def do_record_token_refresh_failure(channel_id: int, message: str, *, actor: Actor) -> None:
    """The platform refused to renew the token: a person must reconnect before it ends."""
    channel = Channel.objects.select_for_update().get(pk=channel_id)
    before = {"token_error": channel.token_error, "reconnect_by": _iso(channel.reconnect_by)}
    channel.token_error = message[:2000]
    channel.reconnect_by = channel.token_expires_at or timezone.now()
    channel.save(update_fields=["token_error", "reconnect_by"])
    record(
        "moderation.channel.token_refresh_failed",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=before,
        after={"token_error": channel.token_error, "reconnect_by": _iso(channel.reconnect_by)},
    )


@transaction.atomic
def do_record_expiry_warning(channel: Channel, days: int, *, actor: Actor) -> bool:
    """Note that admins were warned ``days`` ahead, and email them after the commit. Returns
    False when that warning (or a later one) was already given."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.expiry_warned_days is not None and channel.expiry_warned_days <= days:
        return False
    channel.expiry_warned_days = days
    channel.save(update_fields=["expiry_warned_days"])
    event = record(
        "moderation.channel.expiry_warned",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        data={"days": days, "reconnect_by": _iso(channel.reconnect_by)},
    )
    enqueue_on_commit("default", "moderation.tokens.send_expiry_email", event.pk)
    return True


# --- Mastodon ---------------------------------------------------------------------------------


@transaction.atomic
def do_register_mastodon_app(
    instance: str, redirect_uri: str, client: Client, *, actor: Actor
) -> MastodonApp:
    """Keep the app the console registered on a Mastodon instance (its secret encrypted)."""
    app, _ = MastodonApp.objects.update_or_create(
        instance=instance,
        defaults={
            "redirect_uri": redirect_uri,
            "credentials": encrypt_credentials(
                {"client_id": client.client_id, "client_secret": client.client_secret}
            ),
        },
    )
    record(
        "moderation.mastodon_app.registered",
        actor=actor,
        target=app,
        target_repr=instance,
        data={"instance": instance, "redirect_uri": redirect_uri},
    )
    return app


def _readable(channel: Channel) -> dict[str, str]:
    try:
        return decrypt_credentials(channel.credentials)
    except ValueError:
        return {}


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""
