"""What the emulated Facebook, Instagram and Threads share: Graph errors, fields and paging."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from moderation.emulator.http import Request, Response
from moderation.emulator.store import Store, decode_key, encode_key, page_of

MAX_LIMIT = 100


def error(
    status: int, message: str, code: int, *, type_: str = "OAuthException", subcode: int = 0
) -> Response:
    body: dict[str, Any] = {
        "error": {
            "message": message,
            "type": type_,
            "code": code,
            "fbtrace_id": secrets.token_urlsafe(8),
        }
    }
    if subcode:
        body["error"]["error_subcode"] = subcode
    return Response(status, body)


def not_found(object_id: str) -> Response:
    return error(
        400,
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        100,
        type_="GraphMethodException",
        subcode=33,
    )


def unsupported(request: Request) -> Response:
    return error(
        400,
        f"Unknown path components: {request.path}",
        2500,
        type_="OAuthException",
    )


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        return error(
            400,
            "Error validating access token: Session has expired on Sunday, 02-Mar-25 10:00:00 "
            "PST. The current time is Monday, 03-Mar-25 10:00:00 PST.",
            190,
            subcode=463,
        )
    if kind == "rate_limit":
        response = error(403, "(#4) Application request limit reached", 4)
        response.headers["X-App-Usage"] = '{"call_count":100,"total_cputime":12,"total_time":15}'
        return response
    if kind == "429":
        response = error(429, "(#4) Application request limit reached", 4)
        response.headers["Retry-After"] = f"{retry_after:g}"
        return response
    return error(
        500,
        "An unexpected error has occurred. Please retry your request later.",
        2,
        type_="OAuthException",
    )


def guard(store: Store, request: Request) -> Response | None:
    """Every Graph call but the OAuth ones needs a token."""
    return require_token(request)


def require_token(request: Request) -> Response | None:
    if request.bearer():
        return None
    return error(400, "An active access token must be used to query information.", 2500)


def fields(request: Request, default: str) -> dict[str, str]:
    """`fields=a,b,c{d,e}` as {"a": "", "b": "", "c": "d,e"}."""
    text = request.arg("fields") or default
    found: dict[str, str] = {}
    depth = 0
    current = ""
    for char in text + ",":
        if char == "," and depth == 0:
            name, _, inner = current.partition("{")
            name = name.split(".")[0].strip()
            if name:
                found[name] = inner[:-1] if inner.endswith("}") else inner
            current = ""
            continue
        depth += char == "{"
        depth -= char == "}"
        current += char
    return found


def select(item: dict[str, Any], wanted: dict[str, str]) -> dict[str, Any]:
    """Only the requested fields, as the Graph API does (`id` always)."""
    return {k: v for k, v in item.items() if k in wanted or k == "id"}


def limit_of(request: Request, default: int = 25) -> int | None:
    limit = request.int_arg("limit", default)
    if limit is None or limit < 1:
        return None
    return min(limit, MAX_LIMIT)


def paged(
    request: Request,
    items: list[Any],
    render: Callable[[Any], dict[str, Any]],
    *,
    newest_first: bool,
    keep: Callable[[Any], bool],
    default_limit: int = 25,
    floor: float | None = None,
) -> Response:
    """A Graph list answer with real `after`/`before` cursors and a `next` link."""
    limit = limit_of(request, default_limit)
    if limit is None:
        return error(400, "(#100) The parameter limit must be a positive integer", 100)
    after_token = request.arg("after")
    try:
        after = decode_key(after_token) if after_token else None
    except ValueError:
        return error(400, "(#100) The after cursor is invalid", 100)
    chunk, more = page_of(items, after, limit, newest_first=newest_first, keep=keep, floor=floor)
    body: dict[str, Any] = {"data": [render(item) for item in chunk]}
    if chunk:
        cursors = {"before": encode_key(chunk[0].key), "after": encode_key(chunk[-1].key)}
        paging: dict[str, Any] = {"cursors": cursors}
        if more:
            params = {k: v for k, v in request.query.items() if k not in ("after", "before")}
            params["after"] = [cursors["after"]]
            paging["next"] = request.url(request.path, params)
        body["paging"] = paging
    return Response(200, body)


def graph_time(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")
