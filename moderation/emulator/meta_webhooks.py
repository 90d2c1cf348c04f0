"""Signed Meta webhook deliveries for a comment, as Facebook, Instagram and Threads send them."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from moderation.emulator.store import Comment

META_PLATFORMS = ("facebook", "instagram", "threads")


def payload(comment: Comment) -> dict[str, Any]:
    """The delivery body Meta documents for a new comment on this platform."""
    now = int(time.time())
    if comment.platform == "facebook":
        return {
            "object": "page",
            "entry": [
                {
                    "id": comment.account_id,
                    "time": now,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "item": "comment",
                                "verb": "add",
                                "comment_id": comment.id,
                                "post_id": comment.post_id,
                                "parent_id": comment.parent_id or comment.post_id,
                                "from": {"id": comment.author.id, "name": comment.author.name},
                                "message": comment.text,
                                "created_time": int(comment.created_at.timestamp()),
                            },
                        }
                    ],
                }
            ],
        }
    if comment.platform == "instagram":
        value: dict[str, Any] = {
            "from": {"id": comment.author.id, "username": comment.author.handle},
            "media": {"id": comment.post_id, "media_product_type": "FEED"},
            "id": comment.id,
            "text": comment.text,
        }
        if comment.parent_id:
            value["parent_id"] = comment.parent_id
        return {
            "object": "instagram",
            "entry": [
                {
                    "id": comment.account_id,
                    "time": int(comment.created_at.timestamp()),
                    "changes": [{"field": "comments", "value": value}],
                }
            ],
        }
    if comment.platform == "threads":
        return {
            "app_id": "123456",
            "topic": "moderate",
            "target_id": comment.account_id,
            "time": now,
            "subscription_id": "234567",
            "has_uid_field": False,
            "values": {
                "value": {
                    "id": comment.id,
                    "username": comment.author.handle,
                    "text": comment.text,
                    "media_type": "TEXT_POST",
                    "permalink": f"https://www.threads.net/@{comment.author.handle}/post/R{comment.seq}",
                    "replied_to": {"id": comment.parent_id or comment.post_id},
                    "root_post": {
                        "id": comment.post_id,
                        "owner_id": comment.account_id,
                        "username": "examplecouncil",
                    },
                    "shortcode": f"R{comment.seq}",
                    "timestamp": comment.created_at.strftime("%Y-%m-%dT%H:%M:%S+0000"),
                },
                "field": "replies",
            },
        }
    raise ValueError(f"{comment.platform} has no Meta webhooks")


# The subscription field each delivery needs (Threads' are set in the app dashboard).
FIELD = {"facebook": "feed", "instagram": "comments", "threads": ""}


def message_payload(message: Comment) -> dict[str, Any]:
    """A Messenger Platform / Instagram messaging delivery for a private message."""
    return {
        "object": "page" if message.platform == "facebook" else "instagram",
        "entry": [
            {
                "id": message.account_id,
                "time": int(time.time() * 1000),
                "messaging": [
                    {
                        "sender": {"id": message.author.id},
                        "recipient": {"id": message.account_id},
                        "timestamp": int(message.created_at.timestamp() * 1000),
                        "message": {"mid": message.id, "text": message.text},
                    }
                ],
            }
        ],
    }


def handshake(url: str, verify_token: str, *, timeout: float = 5.0) -> bool:
    """Meta's verification request: True when the callback echoes the challenge."""
    challenge = str(secrets.randbelow(10**9) + 10**9)
    query = urllib.parse.urlencode(
        {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verify_token}
    )
    separator = "&" if "?" in url else "?"
    try:
        with urllib.request.urlopen(f"{url}{separator}{query}", timeout=timeout) as response:
            return bool(response.status == 200 and response.read().decode().strip() == challenge)
    except (urllib.error.URLError, OSError):
        return False


def deliver(comment: Comment, url: str, app_secret: str, *, timeout: float = 5.0) -> int:
    """POST the signed delivery to `url`; the receiver's HTTP status (0 if unreachable)."""
    return post(payload(comment), url, app_secret, timeout=timeout)


def post(body_json: dict[str, Any], url: str, app_secret: str, *, timeout: float = 5.0) -> int:
    body = json.dumps(body_json).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256="
            + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest(),
            "X-Hub-Signature": "sha1="
            + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest(),
            "User-Agent": "facebookexternalua",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return 0
