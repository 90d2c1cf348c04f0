"""What the emulated Facebook Page and Instagram account share beyond comments: app
subscriptions (`subscribed_apps`), private messages (`conversations`) and the Send API
(`messages`).

- `POST /{id}/subscribed_apps?subscribed_fields=a,b` subscribes the Page (or Instagram account)
  to the app for those fields, checked against the enum in Meta's own definition
  (`pagesubscribed_apps_subscribed_fields_enum_param` / `iggraphusersubscribed_apps_…`);
  `GET` lists them. Only subscribed fields are delivered by webhook.
- `GET /{id}/conversations?platform=MESSENGER|INSTAGRAM&fields=…` lists conversations newest first,
  each with its latest messages (`messages{id,message,from,created_time}`).
- `POST /{id}/messages` with `recipient` `{"id": …}`, `message` `{"text": …}` and
  `messaging_type` (RESPONSE, UPDATE, MESSAGE_TAG, UTILITY) sends a private answer: it is recorded
  as the action "message" and never appears as a public comment.
"""

from __future__ import annotations

import json
from typing import Any

import moderation.emulator.graph as graph
from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import Comment, Store

SUBSCRIBABLE = {
    "facebook": frozenset({"feed", "message_echoes", "messages"}),
    "instagram": frozenset(
        {"comments", "live_comments", "mentions", "messages", "message_edit", "messaging_seen"}
    ),
}
MESSAGING_TYPES = frozenset({"RESPONSE", "UPDATE", "MESSAGE_TAG", "UTILITY"})


def _subscribed_apps(store: Store, request: Request, account: str) -> Response:
    key = (request.platform, account)
    if request.method == "GET":
        with store.lock:
            listed = sorted(store.webhook_subscriptions.get(key, set()))
        return ok({"data": [{"id": "emulated-app", "subscribed_fields": listed}]})
    if request.method != "POST":
        return graph.unsupported(request)
    fields = {f for f in request.arg("subscribed_fields").split(",") if f}
    unknown = fields - SUBSCRIBABLE[request.platform]
    if not fields or unknown:
        return graph.error(
            400,
            "(#100) Param subscribed_fields must be one of {"
            + ", ".join(sorted(SUBSCRIBABLE[request.platform]))
            + "}"
            + (f" - got {', '.join(sorted(unknown))}" if unknown else ""),
            100,
        )
    with store.lock:
        store.webhook_subscriptions[key] = fields
    store.record(request.platform, "subscribe", account, fields=sorted(fields))
    return ok({"success": True})


def render_message(message: Comment) -> dict[str, Any]:
    sender: dict[str, str] = {"id": message.author.id}
    if message.platform == "facebook":
        sender["name"] = message.author.name
    else:
        sender["username"] = message.author.handle
    return {
        "id": message.id,
        "message": message.text,
        "from": sender,
        "created_time": graph.graph_time(message.created_at),
    }


def _conversations(store: Store, request: Request, account: str) -> Response:
    platform_filter = request.arg("platform").upper()
    if platform_filter and platform_filter not in ("MESSENGER", "INSTAGRAM"):
        return graph.error(400, "(#100) platform must be one of MESSENGER, INSTAGRAM", 100)
    with store.lock:
        threads: dict[str, list[Comment]] = {}
        for message in store.messages:
            if message.platform == request.platform and message.account_id == account:
                threads.setdefault(message.post_id, []).append(message)
        rendered = [
            {
                "id": conversation,
                "updated_time": graph.graph_time(max(m.created_at for m in messages)),
                "messages": {
                    "data": [
                        render_message(m)
                        for m in sorted(messages, key=lambda m: m.key, reverse=True)[:25]
                    ]
                },
            }
            for conversation, messages in threads.items()
        ]
    rendered.sort(key=lambda c: str(c["updated_time"]), reverse=True)
    return ok({"data": rendered})


def _object(value: str) -> dict[str, Any]:
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _send(store: Store, request: Request, account: str) -> Response:
    recipient = _object(request.arg("recipient"))
    message = _object(request.arg("message"))
    kind = request.arg("messaging_type") or "RESPONSE"
    text = message.get("text")
    if not recipient.get("id") or not isinstance(text, str) or not text:
        return graph.error(400, "(#100) recipient and message.text are required", 100)
    if kind not in MESSAGING_TYPES:
        return graph.error(400, "(#100) Invalid messaging_type", 100)
    with store.lock:
        known = any(
            m.platform == request.platform
            and m.account_id == account
            and m.author.id == recipient["id"]
            for m in store.messages
        )
        number = store.next_seq()
    if not known:
        return graph.error(
            400, "(#100) No matching user found", 100, type_="OAuthException", subcode=2018001
        )
    message_id = f"m_reply{number}"
    store.record(
        request.platform,
        "message",
        str(recipient["id"]),
        message=text,
        messaging_type=kind,
        id=message_id,
    )
    return ok({"recipient_id": recipient["id"], "message_id": message_id})


# Shared by the Facebook and Instagram route lists.
ROUTES = [
    route("/<_version>/<account>/subscribed_apps", _subscribed_apps),
    route("/<_version>/<account>/conversations", _conversations, ["GET"]),
    route("/<_version>/<account>/messages", _send, ["POST"]),
]
