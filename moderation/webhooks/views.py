"""Webhook endpoints for Meta platforms (Facebook, Instagram, Threads).

The signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with the app secret) is
checked before the body is parsed; a bad or missing signature gets 403 and nothing is stored.
Storing is idempotent, so Meta's retries of the same delivery change nothing.

The body is read here, up to ``MAX_BODY_BYTES`` (5 MB, as docs/ingest.md says), not through
``request.body``: Django refuses anything over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) with a 400,
and Meta batches many changes into one delivery. Every other page keeps Django's limit.
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
from moderation.connectors.base import FetchedComment, Quarantined
from moderation.connectors.webhooks import parse_meta_webhook, verify_signature, verify_subscription
from moderation.credentials import decrypt_credentials
from moderation.models import Channel, QuarantinedItem

log = logging.getLogger(__name__)
META_PLATFORMS = ("facebook", "instagram", "threads")
MAX_BODY_BYTES = 5 * 1024 * 1024


def _secrets(platform: str) -> list[tuple[str, str]]:
    """(app secret, verify token) pairs of this platform's enabled channels."""
    pairs = set()
    for encrypted in Channel.objects.filter(platform=platform, enabled=True).values_list(
        "credentials", flat=True
    ):
        try:
            creds = decrypt_credentials(encrypted)
        except ValueError:
            continue
        if creds.get("app_secret"):
            pairs.add((creds["app_secret"], creds.get("verify_token", "")))
    return sorted(pairs)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest, platform: str) -> HttpResponse:
    if platform not in META_PLATFORMS:
        return HttpResponse("Unknown platform", status=404)
    secrets = _secrets(platform)
    if request.method == "GET":
        for _secret, token in secrets:
            challenge = verify_subscription(request.GET, token) if token else None
            if challenge is not None:
                return HttpResponse(challenge, content_type="text/plain")
        return HttpResponseForbidden("Verification failed")
    body = read_body(request, MAX_BODY_BYTES)
    if body is None:
        return HttpResponse("Too large", status=413)
    header = request.headers.get("X-Hub-Signature-256")
    if not any(verify_signature(body, header, secret) for secret, _ in secrets):
        log.warning("Rejected %s webhook with a bad or missing signature", platform)
        return HttpResponseForbidden("Bad signature")
    held: list[Quarantined] = []
    comments, problems = parse_meta_webhook(platform, body, held)
    for problem in problems:
        log.warning("%s webhook: %s", platform, problem)
    by_account: dict[str, list[FetchedComment]] = defaultdict(list)
    for account_id, comment in comments:
        by_account[account_id].append(comment)
    held_by_account = _held_by_account(held, body)
    for account_id in by_account.keys() | held_by_account.keys():
        channel = Channel.objects.filter(platform=platform, account_id=account_id).first()
        if channel is None:
            log.warning("%s webhook for unknown account %s ignored", platform, account_id)
            continue
        actor = SystemActor.connector(f"{platform} webhook ({channel.name})")
        do_store_comments(
            channel,
            by_account.get(account_id, []),
            actor=actor,
            quarantined=held_by_account.get(account_id, []),
            source=QuarantinedItem.Source.WEBHOOK,
        )
    if problems:
        # Shown on the channels the delivery names, as a poll's skipped items are.
        for channel in Channel.objects.filter(platform=platform, account_id__in=_accounts(body)):
            actor = SystemActor.connector(f"{platform} webhook ({channel.name})")
            do_record_webhook_problems(channel, problems, actor=actor)
    # Meta retries anything but a 200; malformed entries are logged, not retried forever.
    return HttpResponse("ok", content_type="text/plain")


def _held_by_account(held: list[Quarantined], body: bytes) -> dict[str, list[Quarantined]]:
    """Unreadable items by the account they were for; one naming no account belongs to the
    delivery's only account, when it names exactly one (else it is only logged)."""
    accounts = _accounts(body)
    only = next(iter(accounts)) if len(accounts) == 1 else ""
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
