"""The emulator's control API, for tests and the demo in other processes to shape the world.

- `POST /_control/reset` — forget everything.
- `POST /_control/seed` — `{"platform", "account_id", "posts": [{"id"?, "text", "created_at"?}],
  "comments": [{"post_id", "text", "author"?: {"id", "handle", "name"}, "created_at"?,
  "parent_id"?, "id"?, "overrides"?, "status"?}]}` (or a list of those) → the ids created.
- `POST /_control/faults` — `{"platform" ("*" for all), "kind": 429|500|hang|expired_token|
  rate_limit, "count", "path_contains"?, "method"?, "retry_after"?, "hang_seconds"?}`: the next
  `count` matching calls answer with that fault, in the platform's own error envelope.
- `GET /_control/state[?platform=…]` — actions received (with timestamps), comments and their
  moderation state, blocks.
- `POST /_control/deliver_webhook` — `{"platform", "url", "app_secret", "account_id", "text",
  "post_id"?, "author"?}`: adds a comment and POSTs a correctly signed Meta delivery for it, once
  the callback is verified and the account subscribed (as on Meta).
- `POST /_control/register_webhook` — `{"platform", "url", "verify_token"}`: Meta's verification
  handshake against the callback; `POST /_control/token_lifetime` — `{"platform", "access"?,
  "refresh"?}` in seconds.
- `POST /_control/clock` — `{"advance": seconds}`: moves the clock the tokens issued by the OAuth
  endpoints expire on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from moderation.emulator.http import Response
from moderation.emulator.store import FAULT_KINDS, STATUSES, VISIBLE

if TYPE_CHECKING:
    from moderation.emulator.server import Emulator

# (emulator, query, JSON body) -> the answer's JSON
Control = Callable[["Emulator", "MultiDict[str, str]", Any], Any]


def handle(
    emulator: Emulator, method: str, path: str, query: MultiDict[str, str], raw: bytes
) -> Response:
    try:
        endpoint, _ = ROUTES.bind("emulator").match(path, method)
    except HTTPException:
        return Response(404, {"error": f"no control endpoint {method} {path}"})
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        return Response(400, {"error": "malformed JSON body"})
    try:
        return Response(200, endpoint(emulator, query, body))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return Response(400, {"error": f"bad control request: {error}"})


def _reset(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    emulator.reset()
    return {"ok": True}


def _state(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    return emulator.state(query.get("platform", ""))


def _faults(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    for item in body if isinstance(body, list) else [body]:
        emulator.set_faults(
            str(item.get("platform", "*")),
            str(item.get("kind", "")),
            int(item.get("count", 1)),
            path_contains=str(item.get("path_contains", "")),
            method=str(item.get("method", "")),
            retry_after=float(item.get("retry_after", 1)),
            hang_seconds=float(item.get("hang_seconds", 5)),
        )
    return {"ok": True, "kinds": list(FAULT_KINDS)}


def _clock(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    emulator.advance_clock(float(body.get("advance", 0)))
    return {"ok": True}


def _register_webhook(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    emulator.register_webhook(str(body["platform"]), str(body["url"]), str(body["verify_token"]))
    return {"ok": True}


def _token_lifetime(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    emulator.set_token_lifetime(
        str(body["platform"]), access=body.get("access"), refresh=body.get("refresh")
    )
    return {"ok": True}


def _deliver_webhook(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    status, comment_id = emulator.deliver_webhook(
        str(body["platform"]),
        str(body["url"]),
        str(body["app_secret"]),
        str(body["account_id"]),
        str(body.get("text", "")),
        post_id=body.get("post_id"),
        author=body.get("author"),
    )
    return {"status": status, "comment_id": comment_id}


def _seed(emulator: Emulator, query: MultiDict[str, str], body: Any) -> Any:
    created: dict[str, list[str]] = {"posts": [], "comments": []}
    for batch in body if isinstance(body, list) else [body]:
        platform = str(batch["platform"])
        emulator.base_url(platform)  # ValueError for an unknown platform
        account = str(batch["account_id"])
        for post in batch.get("posts", []):
            created["posts"].append(
                emulator.add_post(
                    platform,
                    account,
                    post.get("id"),
                    str(post.get("text", "")),
                    created_at=_when(post.get("created_at")),
                )
            )
        for comment in batch.get("comments", []):
            status = str(comment.get("status", VISIBLE))
            if status not in STATUSES:
                raise ValueError(f"status must be one of {STATUSES}")
            created["comments"].append(
                emulator.add_comment(
                    platform,
                    account,
                    str(comment["post_id"]),
                    str(comment.get("text", "")),
                    comment.get("author"),
                    created_at=_when(comment.get("created_at")),
                    parent_id=str(comment.get("parent_id", "")),
                    comment_id=comment.get("id"),
                    overrides=comment.get("overrides"),
                    status=status,
                )
            )
    return created


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("created_at needs a time zone")
    return moment


ROUTES = Map(
    [
        Rule("/_control/reset", endpoint=_reset, methods=["POST"]),
        Rule("/_control/state", endpoint=_state, methods=["GET"]),
        Rule("/_control/seed", endpoint=_seed, methods=["POST"]),
        Rule("/_control/faults", endpoint=_faults, methods=["POST"]),
        Rule("/_control/clock", endpoint=_clock, methods=["POST"]),
        Rule("/_control/register_webhook", endpoint=_register_webhook, methods=["POST"]),
        Rule("/_control/token_lifetime", endpoint=_token_lifetime, methods=["POST"]),
        Rule("/_control/deliver_webhook", endpoint=_deliver_webhook, methods=["POST"]),
    ]
)
