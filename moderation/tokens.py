"""Token health: renewing tokens ahead of their end, warning admins before a reconnect is due,
the admins' banner, and the jobs that follow connecting a channel.

- **Renewing.** Every few minutes the scheduler's housekeeping runs `check_channel_tokens`. A
  channel whose token can be renewed without a person (YouTube, X, TikTok, LinkedIn apps with
  refresh tokens, Threads, Instagram Login) and has less than a quarter of its lifetime left
  (at most 15 days) gets a `refresh_channel_token` job. The job holds the channel's refresh
  lock (the one the connectors use when a platform answers 401), so a poll meeting the expired
  token at the same moment does not spend X's single-use refresh token twice. Renewals never run
  in a web request. Meta renews a Threads or Instagram Login token only once it is a day old:
  one issued sooner is not sent (the job ends "too new"). Facebook and Instagram Page tokens
  read with a long-lived user token do not expire; Mastodon tokens do not expire; Bluesky's
  connector keeps its own session (app password) or renews its OAuth session itself before each
  call that needs it.
- **Warning.** Where a person must reconnect (LinkedIn every 60 days for most apps; a refused
  renewal), admins are warned 14, 7 and 1 days ahead: a banner on every console page they open
  (`token_warnings`, a context processor) and an email to each active admin (the app's email
  path: a job after the audited action; `sec-data`'s notification outbox will carry these once
  it lands).
- **After (re)connecting.** A new channel is polled at once. A reconnected channel is polled
  with its stored cursor (which resumes where the last successful poll stopped) and a backfill
  window stretched to cover the days since that poll, so what arrived while it was broken is
  read where the platform's API still lists it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import SystemActor, audit_context
from accounts.models import AuditEvent, User
from accounts.names import neutralise_bidi, one_line
from accounts.roles import user_can
from moderation.actions.channels import can_renew, do_record_refreshed_credentials
from moderation.actions.connections import (
    do_record_expiry_warning,
    do_record_token_refresh_failure,
    expiry_keys,
)
from moderation.actions.notifications import do_record_email_sent
from moderation.channel_connector import one_refresh_at_a_time
from moderation.connecting import app_client, place
from moderation.connectors.authorization import Client, refresh
from moderation.connectors.errors import ConnectorError, TransientError
from moderation.connectors.oauth_apps import ISSUED_AT, OAUTH_APPS, meta_token_too_new
from moderation.connectors.oauth_requests import Grant
from moderation.credentials import decrypt_credentials
from moderation.jobs import poll_channel
from moderation.models import PLATFORM_CHOICES, Channel
from smpolicy.queue import enqueue_now

log = logging.getLogger(__name__)

WARN_DAYS = (14, 7, 1)
CHECK_EVERY_SECONDS = 300
MAX_REFRESH_AHEAD = dt.timedelta(days=15)
MIN_REFRESH_AHEAD = dt.timedelta(minutes=10)
EXPIRY_EMAILED = "moderation.channel.expiry_emailed"
MAX_BACKFILL_DAYS = 90
RENEWABLE_FLOWS = frozenset(flow for flow, app in OAUTH_APPS.items() if app.refresh)
TOO_NEW = "too new: Meta renews a long-lived token only once it is at least a day old"


def _job_id() -> str:
    try:
        from rq import get_current_job  # rq is only importable with a worker's set-up

        job = get_current_job()
        return job.id if job is not None else ""
    except Exception:  # outside a worker there is no job
        return ""


def refresh_ahead(flow: str) -> dt.timedelta:
    """How long before its end a token is renewed: a quarter of its documented lifetime."""
    app = OAUTH_APPS.get(flow)
    lifetime = app.access_lifetime if app is not None else None
    if lifetime is None:
        return MIN_REFRESH_AHEAD
    return min(max(lifetime / 4, MIN_REFRESH_AHEAD), MAX_REFRESH_AHEAD)


def warning_threshold(until: dt.timedelta) -> int | None:
    """The warning due for a reconnect this far away (14, 7 or 1 days ahead), or None."""
    due = [days for days in WARN_DAYS if until <= dt.timedelta(days=days)]
    return min(due) if due else None


# --- The scheduler's check ---------------------------------------------------------------------


def check_channel_tokens(now: dt.datetime | None = None) -> dict[str, int]:
    """Job: enqueue renewals that are due, and record the expiry warnings that are due."""
    now = now or timezone.now()
    refreshes = 0
    with audit_context(job_id=_job_id()):
        renewable = Channel.objects.filter(
            enabled=True,
            connected_with__in=RENEWABLE_FLOWS,
            token_expires_at__isnull=False,
            token_error="",
        ).only("pk", "connected_with", "token_expires_at")
        for channel in renewable:
            assert channel.token_expires_at is not None
            if channel.token_expires_at - now <= refresh_ahead(channel.connected_with):
                enqueue_now("default", refresh_channel_token, channel.pk)
                refreshes += 1
        warnings = 0
        horizon = now + dt.timedelta(days=max(WARN_DAYS))
        for channel in Channel.objects.filter(enabled=True, reconnect_by__lte=horizon):
            assert channel.reconnect_by is not None
            days = warning_threshold(channel.reconnect_by - now)
            if days is not None and do_record_expiry_warning(
                channel, days, actor=SystemActor.system("token health check")
            ):
                warnings += 1
    return {"token_refreshes": refreshes, "expiry_warnings": warnings}


# --- Renewing a token --------------------------------------------------------------------------


def refresh_channel_token(channel_id: int) -> str:
    """Job: renew one channel's access token now, under the channel's refresh lock."""
    channel = Channel.objects.get(pk=channel_id)
    app = OAUTH_APPS.get(channel.connected_with)
    actor = SystemActor.connector(f"{channel.platform} connector ({channel.name})")
    if app is None or not app.refresh:
        return "not renewable"
    with audit_context(job_id=_job_id()), one_refresh_at_a_time(channel_id) as stored:
        credentials = stored if stored is not None else decrypt_credentials(channel.credentials)
        if not can_renew(app.flow, credentials):
            return "not renewable"  # e.g. LinkedIn without a refresh token: admins are warned
        current = Channel.objects.filter(pk=channel_id).values_list("token_expires_at", flat=True)[
            0
        ]
        if current is not None and current - timezone.now() > refresh_ahead(app.flow):
            return "already renewed"  # another worker (or the connector after a 401) did it
        if meta_token_too_new(app, credentials, timezone.now()):
            # Meta refuses sooner, and a refusal would mark the channel for reconnecting.
            log.info("Not renewing %s's token: Meta renews it only once it is a day old", channel)
            return TOO_NEW
        client = _client(app.flow, credentials)
        if client is None:
            do_record_token_refresh_failure(
                channel_id,
                f"{app.label} is no longer set up for this console (its app credentials are "
                "missing), so the token cannot be renewed: reconnect the channel.",
                actor=actor,
            )
            return "no app"
        try:
            grant = refresh(
                app,
                client,
                credentials,
                place(channel.base_url if app.flow == "mastodon" else ""),
                public_only=False,
            )
        except TransientError as error:
            log.warning("Renewing %s's token failed for now: %s", channel, error)
            return "try later"
        except ConnectorError as error:
            do_record_token_refresh_failure(channel_id, str(error), actor=actor)
            return "refused"
        do_record_refreshed_credentials(channel_id, renewed(credentials, grant), actor=actor)
    return "renewed"


def renewed(credentials: Mapping[str, str], grant: Grant) -> dict[str, str]:
    """The channel's credentials with the new tokens and when they end."""
    kept = {
        k: v
        for k, v in credentials.items()
        if k not in ("access_token_expires_at", "refresh_token_expires_at")
    }
    kept["access_token"] = grant.access_token
    kept[ISSUED_AT] = timezone.now().isoformat()
    if grant.refresh_token:
        kept["refresh_token"] = grant.refresh_token
    refresh_ends = grant.refresh_expires_at
    if refresh_ends is None and credentials.get("refresh_token_expires_at"):
        # The platform did not say again; the old refresh token's end still holds.
        try:
            refresh_ends = dt.datetime.fromisoformat(credentials["refresh_token_expires_at"])
        except ValueError:
            refresh_ends = None
    return {**kept, **expiry_keys(grant.access_expires_at, refresh_ends)}


def _client(flow: str, credentials: Mapping[str, str]) -> Client | None:
    if credentials.get("client_id"):
        return Client(credentials["client_id"], credentials.get("client_secret", ""))
    app = OAUTH_APPS[flow]
    return app_client(app)


def visible_controls(text: str) -> str:
    """Plain text with direction controls shown as ⟨U+202E⟩, so a name or a platform's message
    cannot reorder the page (autoescaping still applies when it is shown)."""
    return neutralise_bidi(text)


# --- The banner and the emails -----------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryWarning:
    channel_id: int
    channel_name: str
    platform: str
    platform_label: str
    reconnect_by: dt.datetime
    expired: bool
    days_left: int
    reason: str


def expiring_channels(now: dt.datetime | None = None) -> list[ExpiryWarning]:
    """Enabled channels a person must reconnect within 14 days (or already past), soonest first.
    One indexed query: every admin page asks."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=max(WARN_DAYS))
    rows = (
        Channel.objects.filter(enabled=True)
        .filter(Q(reconnect_by__lte=horizon))
        .order_by("reconnect_by")
        .values_list("pk", "name", "platform", "reconnect_by", "token_error")
    )
    warnings = []
    for pk, name, platform, ends, token_error in rows:
        if ends is None:  # not possible with the filter; keeps the types honest
            continue
        warnings.append(
            ExpiryWarning(
                channel_id=pk,
                channel_name=visible_controls(name),
                platform=platform,
                platform_label=dict(PLATFORM_CHOICES).get(platform, platform),
                reconnect_by=ends,
                expired=ends <= now,
                days_left=max(0, math.ceil((ends - now).total_seconds() / 86400)),
                reason=visible_controls(token_error),
            )
        )
    return warnings


def token_warnings(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``token_warnings`` on every page an admin opens."""
    user = getattr(request, "user", None)
    if user is None or not user_can(user, "configure"):
        return {}
    return {"token_warnings": expiring_channels()}


def console_link(name: str, *args: Any) -> str:
    """An absolute link when ``CONSOLE_BASE_URL`` is set, else the path."""
    base = str(getattr(settings, "CONSOLE_BASE_URL", "")).rstrip("/")
    return f"{base}{reverse(name, args=args)}"


def _admin_addresses() -> list[str]:
    admins = User.objects.filter(is_active=True).exclude(email="")
    return sorted({u.email for u in admins if user_can(u, "configure")})


def send_expiry_email(event_id: int) -> str:
    """Job: email the admins one expiry warning, once."""
    with audit_context(job_id=_job_id()):
        event = AuditEvent.objects.filter(
            pk=event_id, event_type="moderation.channel.expiry_warned"
        ).first()
        if event is None or event.channel_id is None:
            return "no such warning"
        if AuditEvent.objects.filter(
            event_type=EXPIRY_EMAILED, target_type="accounts.auditevent", target_id=str(event.pk)
        ).exists():
            return "already sent"
        recipients = _admin_addresses()
        if not recipients:
            return "no address"
        channel = Channel.objects.get(pk=event.channel_id)
        days = int(event.data.get("days", 0))
        ends = channel.reconnect_by
        when = f"{timezone.localtime(ends):%H:%M on %A %d %B %Y}" if ends else "soon"
        subject = f"Reconnect {channel.shown_name} within {days} day{'s' if days != 1 else ''}"
        body = "\n".join(
            [
                f"The connection to {channel.name} ({channel.get_platform_display()}) stops "
                f"working at {when}.",
                "The platform does not let the console renew it on its own: an admin must "
                "reconnect it (Settings, Channels, the channel's health page, Reconnect).",
                *([f"The platform said: {channel.token_error}"] if channel.token_error else []),
                "",
                f"Channel health: {console_link('moderation:channel_health', channel.pk)}",
            ]
        )
        send_mail(one_line(subject), body, None, recipients)
        do_record_email_sent(
            EXPIRY_EMAILED,
            event,
            recipients,
            actor=SystemActor.system("token health check"),
            channel_id=channel.pk,
            target_repr=f"expiry warning for {channel.name}",
            data={"days": days},
        )
        return "sent"


# --- After (re)connecting ----------------------------------------------------------------------


def backfill_days(last_success: dt.datetime | None, usual: int, now: dt.datetime) -> int:
    """The backfill window that covers the time since the last successful poll."""
    if last_success is None:
        return usual
    missed = math.ceil((now - last_success).total_seconds() / 86400) + 1
    return max(usual, min(missed, MAX_BACKFILL_DAYS))


def backfill_channel(channel_id: int) -> int:
    """Job: poll a reconnected channel, reading back what it missed while it was broken."""
    channel = Channel.objects.get(pk=channel_id)
    days = backfill_days(channel.last_success_at, channel.backfill_days, timezone.now())
    return poll_channel(channel_id, backfill_days=days)
