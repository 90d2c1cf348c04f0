"""Webhook endpoints for Meta platforms (Facebook, Instagram, Threads).

- The handshake (GET): Meta's verification request is answered for the verify token of any
  enabled channel of the platform (shown and set on the channel's page; the GET names no account).
- Deliveries (POST): the signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body) is
  checked with the app secret of each channel the delivery names (``entry[].id``, Threads'
  ``target_id``), before anything is parsed for storing. One channel's secret cannot speak for
  another channel: a delivery naming a channel whose own secret does not verify it, or naming no
  known channel, gets 403 and nothing is stored.
Storing is idempotent, so Meta's retries of the same delivery change nothing. Messaging
events (Messenger, Instagram) become private items; the council's own messages and replies are
left out.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.audit import SystemActor
from moderation.actions.ingest import do_record_webhook_problems, do_store_comments
from moderation.connectors.base import FetchedComment
from moderation.connectors.webhooks import parse_meta_webhook, verify_signature, verify_subscription
from moderation.credentials import decrypt_credentials
from moderation.models import Channel

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
    body = request.body
    if len(body) > MAX_BODY_BYTES:
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
    comments, problems = parse_meta_webhook(platform, body)
    for problem in problems:
        log.warning("%s webhook: %s", platform, problem)
    by_account: dict[str, list[FetchedComment]] = defaultdict(list)
    for account_id, comment in comments:
        by_account[account_id].append(comment)
    for account_id, batch in by_account.items():
        found = channels.get(account_id)
        if found is None:
            log.warning("%s webhook for unknown account %s ignored", platform, account_id)
            continue
        actor = SystemActor.connector(f"{platform} webhook ({found.shown_name})")
        do_store_comments(found, batch, actor=actor)
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
    """Every channel the delivery names vouches for it with its own app secret. A delivery that
    names only unknown accounts is refused; one too broken to name any account is accepted
    (and stores nothing) when a channel's secret verifies it, so that Meta stops resending it."""
    if channels:
        return all(verify_signature(body, header, _app_secret(c)) for c in channels.values())
    if named:
        return False
    candidates = Channel.objects.filter(platform=platform, enabled=True)
    return any(verify_signature(body, header, _app_secret(c)) for c in candidates)


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
