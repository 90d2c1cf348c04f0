"""Webhook endpoints for Meta platforms (Facebook, Instagram, Threads).

- The handshake (GET): Meta's verification request is answered for the verify token of any
  enabled channel of the platform (shown and set on the channel's page; the GET names no account).
- Deliveries (POST): Meta signs each delivery (``X-Hub-Signature-256``, HMAC-SHA256 of the raw
  body) with the secret of the one app whose subscription it belongs to. So the secret is settled
  before anything is hashed: the channels the delivery names (``entry[].id``, Threads'
  ``target_id``) must all hold the same app secret, and the body is hashed once, with it. One
  channel's secret cannot speak for another channel: a delivery naming channels of two apps, a
  channel whose secret does not verify it, or no known channel, gets 403 and nothing is stored.
  A delivery naming no account is checked only with the deployment's own app secrets for the
  platform (``<PREFIX>_CLIENT_SECRET``), never channel by channel, so a forgery costs one hash of
  its body however many channels there are.
Storing is idempotent, so Meta's retries of the same delivery change nothing. Messaging
events (Messenger, Instagram) become private items; the council's own messages and replies are
left out. A change that cannot be read is quarantined on the channel it names.

The body is read here, up to ``MAX_BODY_BYTES`` (5 MB, as docs/ingest.md says), not through
``request.body``: Django refuses anything over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) with a 400,
and Meta batches many changes into one delivery. Every other page keeps Django's limit.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.audit import SystemActor
from moderation.actions.ingest import do_record_webhook_problems, do_store_comments
from moderation.connectors.base import FetchedComment, Quarantined
from moderation.connectors.oauth_apps import OAUTH_APPS
from moderation.connectors.webhooks import parse_meta_webhook, verify_signature, verify_subscription
from moderation.credentials import decrypt_credentials
from moderation.models import Channel, QuarantinedItem

log = logging.getLogger(__name__)
META_PLATFORMS = ("facebook", "instagram", "threads")
MAX_BODY_BYTES = 5 * 1024 * 1024


def _verify_tokens(platform: str) -> list[str]:
    """The verify tokens of this platform's enabled channels (and any kept in credentials, as
    they were before the token had its own field)."""
    tokens: set[str] = set()
    channels = Channel.objects.filter(platform=platform, enabled=True)
    for token, encrypted in channels.values_list("webhook_verify_token", "credentials"):
        tokens.add(token)
        try:
            tokens.add(decrypt_credentials(encrypted).get("verify_token", ""))
        except ValueError:
            continue
    return sorted(tokens - {""})


def _app_secret(channel: Channel) -> str:
    try:
        return decrypt_credentials(channel.credentials).get("app_secret", "")
    except ValueError:
        return ""


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest, platform: str) -> HttpResponse:
    if platform not in META_PLATFORMS:
        return HttpResponse("Unknown platform", status=404)
    if request.method == "GET":
        for token in _verify_tokens(platform):
            challenge = verify_subscription(request.GET, token)
            if challenge is not None:
                return HttpResponse(challenge, content_type="text/plain")
        return HttpResponseForbidden("Verification failed")
    body = read_body(request, MAX_BODY_BYTES)
    if body is None:
        return HttpResponse("Too large", status=413)
    header = request.headers.get("X-Hub-Signature-256")
    named = _accounts(body)
    channels = {
        channel.account_id: channel
        for channel in Channel.objects.filter(platform=platform, enabled=True, account_id__in=named)
    }
    if not _verified(platform, body, header, named, channels):
        log.warning("Rejected %s webhook with a bad or missing signature", platform)
        return HttpResponseForbidden("Bad signature")
    held: list[Quarantined] = []
    comments, problems = parse_meta_webhook(platform, body, held)
    for problem in problems:
        log.warning("%s webhook: %s", platform, problem)
    by_account: dict[str, list[FetchedComment]] = defaultdict(list)
    for account_id, comment in comments:
        by_account[account_id].append(comment)
    held_by_account = _held_by_account(held, named)
    for account_id in by_account.keys() | held_by_account.keys():
        found = channels.get(account_id)
        if found is None:
            log.warning("%s webhook for unknown account %s ignored", platform, account_id)
            continue
        actor = SystemActor.connector(f"{platform} webhook ({found.shown_name})")
        do_store_comments(
            found,
            by_account.get(account_id, []),
            actor=actor,
            quarantined=held_by_account.get(account_id, []),
            source=QuarantinedItem.Source.WEBHOOK,
        )
    if problems:
        # Shown on the channels the delivery names, as a poll's skipped items are.
        for channel in channels.values():
            actor = SystemActor.connector(f"{platform} webhook ({channel.shown_name})")
            do_record_webhook_problems(channel, problems, actor=actor)
    # Meta retries anything but a 200; malformed entries are logged, not retried forever.
    return HttpResponse("ok", content_type="text/plain")


def _verified(
    platform: str, body: bytes, header: str | None, named: set[str], channels: dict[str, Channel]
) -> bool:
    """The delivery is signed with the one app secret it can be signed with, hashed once.

    Named channels must share one secret (a Meta delivery belongs to one app's subscription);
    a delivery naming only unknown accounts is refused unhashed. One too broken to name any
    account is checked with the deployment's app secret for the platform, and accepted (storing
    nothing) when it verifies, so that Meta stops resending it."""
    if channels:
        secrets = {_app_secret(channel) for channel in channels.values()}
        return len(secrets) == 1 and verify_signature(body, header, secrets.pop())
    if named:
        return False
    return any(verify_signature(body, header, secret) for secret in _deployment_secrets(platform))


def _deployment_secrets(platform: str) -> list[str]:
    """The app secrets this deployment connects the platform's channels with (Instagram has two
    ways in, so at most two): a fixed number, whatever the channels."""
    prefixes = {app.settings_prefix for app in OAUTH_APPS.values() if app.platform == platform}
    found = {settings.OAUTH_CLIENTS.get(prefix, ("", ""))[1] for prefix in sorted(prefixes)}
    return sorted(found - {""})


def _held_by_account(held: list[Quarantined], named: set[str]) -> dict[str, list[Quarantined]]:
    """Unreadable items by the account they were for; one naming no account belongs to the
    delivery's only account, when it names exactly one (else it is only logged)."""
    only = next(iter(named)) if len(named) == 1 else ""
    grouped: dict[str, list[Quarantined]] = defaultdict(list)
    for item in held:
        if item.account_id or only:
            grouped[item.account_id or only].append(item)
    return grouped


def read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body if it is at most ``limit`` bytes, else None (a body that says it is larger
    is not read at all)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def _accounts(body: bytes) -> set[str]:
    """The accounts a delivery is for (``entry[].id``; Threads' ``target_id``), if readable."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return set()
    found: list[object] = []
    for delivery in payload if isinstance(payload, list) else [payload]:
        if not isinstance(delivery, dict):
            continue
        found.append(delivery.get("target_id"))
        entries = delivery.get("entry")
        if isinstance(entries, list):
            found += [entry.get("id") for entry in entries if isinstance(entry, dict)]
    return {
        str(account)[:128]
        for account in found
        if isinstance(account, str | int) and not isinstance(account, bool)
    }
