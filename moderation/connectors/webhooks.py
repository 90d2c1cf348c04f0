"""Meta webhooks (Facebook Pages, Instagram, Threads): the handshake, signatures and payloads.

- Handshake: Meta calls `GET ?hub.mode=subscribe&hub.challenge=<int>&hub.verify_token=<yours>`;
  `verify_subscription` returns the challenge to echo (send it back as `text/plain`) or None.
- Signatures: every delivery carries `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body,
  App Secret)>`. `verify_signature` checks it over the RAW bytes (parse only afterwards), in
  constant time. The legacy SHA-1 `X-Hub-Signature` is not accepted.
- Payloads: `parse_meta_webhook` turns a delivery into (account id, comment) pairs and problems.
  Facebook: `object: page`, `entry[].changes[]` with `field: feed`, `item: comment`, verbs
  `add`/`edited`/`edit` (other verbs and items, e.g. reactions or removals, are not comments to
  store and are ignored without a problem); `created_time` is a Unix time here. Instagram:
  `object: instagram`, fields `comments` and `live_comments`; no time in the value, so the
  entry's `time` is used; no permalink. Threads: `{"values": {"value": …, "field": "replies"}}`
  with `target_id` as the account (an object or a list of them; shape as documented, otherwise
  UNVERIFIED).

A webhook only says a comment exists; the poller still runs, and idempotent storage makes the
two meet without duplicates.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from moderation.connectors.base import FetchedAuthor, FetchedComment, FetchedPost
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    dig,
    limit_text,
    mapping_at,
    optional_id,
    parse_datetime,
    require_id,
    safe_permalink,
    shorten,
    text_at,
)

META_PLATFORMS = ("facebook", "instagram", "threads")
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_BODY_BYTES = 5_000_000
_CHALLENGE = re.compile(r"[A-Za-z0-9_.\-]{1,256}")
_FACEBOOK_VERBS = frozenset({"add", "edited", "edit"})


def verify_subscription(params: Mapping[str, str], verify_token: str) -> str | None:
    """The `hub.challenge` to echo when Meta's subscription request is genuine, else None."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    offered = params.get("hub.verify_token") or ""
    if not hmac.compare_digest(offered.encode(), verify_token.encode()):
        return None
    challenge = params.get("hub.challenge") or ""
    # Meta sends an integer; anything else is not echoed into a response body.
    return challenge if _CHALLENGE.fullmatch(challenge) else None


def verify_signature(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """True when `header` is `sha256=` + the hex HMAC-SHA256 of the raw body with the secret."""
    if not header or not app_secret or not isinstance(raw_body, bytes | bytearray):
        return False
    prefix, _, offered = header.strip().partition("=")
    if prefix.lower() != "sha256" or not offered:
        return False
    expected = hmac.new(app_secret.encode(), bytes(raw_body), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), offered.strip().lower().encode())


def sign(raw_body: bytes, app_secret: str) -> str:
    """The `X-Hub-Signature-256` value Meta would send (used by the emulator and tests)."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def parse_meta_webhook(
    platform: str, body: bytes
) -> tuple[list[tuple[str, FetchedComment]], list[str]]:
    """(account id, comment) for every comment in a delivery, and a problem per bad entry."""
    if platform not in META_PLATFORMS:
        return [], [f"{platform!r} has no Meta webhooks"]
    if len(body) > MAX_BODY_BYTES:
        return [], [f"webhook body of {len(body):,} bytes is too large to read"]
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return [], ["webhook body is not JSON"]
    found: list[tuple[str, FetchedComment]] = []
    problems: list[str] = []
    if platform == "threads":
        for delivery in payload if isinstance(payload, list) else [payload]:
            _threads(delivery, found, problems)
        return found, problems
    entries = payload.get("entry") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        return [], ["webhook body has no 'entry' list"]
    for entry in entries:
        account = dig(entry, "id")
        changes = dig(entry, "changes")
        messaging = dig(entry, "messaging")
        if isinstance(account, str | int) and isinstance(messaging, list):
            for event in messaging:
                try:
                    message = _message(platform, str(account), event, problems)
                except ValueError as error:
                    problems.append(f"{platform} message skipped: {clean_text(str(error))}")
                    continue
                if message is not None:
                    found.append((clean_text(str(account)), message))
            continue
        if not isinstance(account, str | int) or not isinstance(changes, list):
            problems.append("webhook entry without an id or changes skipped")
            continue
        for change in changes:
            try:
                comment = (
                    _facebook(change, problems)
                    if platform == "facebook"
                    else _instagram(change, dig(entry, "time"), problems)
                )
            except ValueError as error:
                problems.append(f"{platform} webhook change skipped: {clean_text(str(error))}")
                continue
            if comment is not None:
                found.append((clean_text(str(account)), comment))
    return found, problems


def _message(platform: str, account: str, event: Any, problems: list[str]) -> FetchedComment | None:
    """A Messenger Platform / Instagram messaging event: a private item, or None for what is
    not a person's message (echoes of the council's own answers, reads, reactions)."""
    message = dig(event, "message")
    if not isinstance(message, dict) or message.get("is_echo") is True:
        return None
    sender = optional_id(dig(event, "sender", "id"), "sender.id")
    if not sender or sender == account:
        return None
    mid = require_id(message.get("mid"), "message.mid")
    return FetchedComment(
        platform_id=mid,
        post_platform_id="",
        parent_platform_id="",
        author=FetchedAuthor(platform_id=sender, handle="", display_name=""),
        text=limit_text(text_at(message, "text"), f"{platform} message {mid}", problems),
        created_at=parse_datetime(dig(event, "timestamp")),
        permalink="",
        raw=clean_raw(event),
        private=True,
    )


def _facebook(change: Any, problems: list[str]) -> FetchedComment | None:
    value = dig(change, "value")
    if dig(change, "field") != "feed" or not isinstance(value, dict):
        return None
    if value.get("item") != "comment" or value.get("verb") not in _FACEBOOK_VERBS:
        return None
    comment_id = require_id(value.get("comment_id"), "comment_id")
    post_id = require_id(value.get("post_id"), "post_id")
    parent = optional_id(value.get("parent_id"), "parent_id")
    author = mapping_at(value, "from")
    link = safe_permalink("https://www.facebook.com/" + quote(comment_id, safe=""))
    return FetchedComment(
        platform_id=comment_id,
        post_platform_id=post_id,
        parent_platform_id="" if parent in ("", post_id) else parent,
        author=FetchedAuthor(
            platform_id=optional_id(author.get("id"), "from.id"),
            handle="",
            display_name=text_at(author, "name"),
        ),
        text=limit_text(text_at(value, "message"), f"Facebook comment {comment_id}", problems),
        created_at=parse_datetime(value.get("created_time")),
        permalink=link,
        raw=clean_raw(value),
        post=FetchedPost(post_id, "", "", None),
    )


def _instagram(change: Any, entry_time: Any, problems: list[str]) -> FetchedComment | None:
    value = dig(change, "value")
    if dig(change, "field") not in ("comments", "live_comments") or not isinstance(value, dict):
        return None
    comment_id = require_id(value.get("id"), "id")
    media_id = require_id(dig(value, "media", "id"), "media.id")
    when = value.get("timestamp") or entry_time
    return FetchedComment(
        platform_id=comment_id,
        post_platform_id=media_id,
        parent_platform_id=optional_id(value.get("parent_id"), "parent_id"),
        author=FetchedAuthor(
            platform_id=optional_id(dig(value, "from", "id"), "from.id"),
            handle=text_at(value, "from", "username"),
            display_name="",
        ),
        text=limit_text(text_at(value, "text"), f"Instagram comment {comment_id}", problems),
        created_at=parse_datetime(when),
        permalink="",
        raw=clean_raw(value),
        post=FetchedPost(media_id, "", "", None),
    )


def _threads(delivery: Any, found: list[tuple[str, FetchedComment]], problems: list[str]) -> None:
    values = dig(delivery, "values")
    if not isinstance(values, dict) or values.get("field") != "replies":
        return
    value = values.get("value")
    try:
        if not isinstance(value, dict):
            raise ValueError("no value")
        reply_id = require_id(value.get("id"), "id")
        root = optional_id(dig(value, "root_post", "id"), "root_post.id") or reply_id
        replied_to = optional_id(dig(value, "replied_to", "id"), "replied_to.id")
        account = optional_id(dig(delivery, "target_id"), "target_id") or optional_id(
            dig(value, "root_post", "owner_id"), "root_post.owner_id"
        )
        if not account:
            raise ValueError("no target_id")
        username = text_at(value, "username")
        if username and username == text_at(value, "root_post", "username"):
            return  # the account's own reply under its own post
        comment = FetchedComment(
            platform_id=reply_id,
            post_platform_id=root,
            parent_platform_id="" if replied_to in ("", root) else replied_to,
            author=FetchedAuthor(platform_id=username, handle=username, display_name=""),
            text=limit_text(text_at(value, "text"), f"Threads reply {reply_id}", problems),
            created_at=parse_datetime(value.get("timestamp") or dig(delivery, "time")),
            permalink=safe_permalink(value.get("permalink")),
            raw=clean_raw(value),
            post=FetchedPost(root, "", "", None),
        )
    except ValueError as error:
        problems.append(f"threads webhook skipped: {shorten(clean_text(str(error)), 300)}")
        return
    found.append((account, comment))
