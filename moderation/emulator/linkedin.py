"""Emulated LinkedIn Community Management API: organisation posts, comments, replies.

Paths: `/linkedin/rest/posts?q=author&author=…`, `/rest/socialActions/{URN}/comments` (GET, POST;
under a post only its top-level comments, under a comment the comments on it),
`/rest/socialActions/{URN}/comments/{id}` (DELETE, own comments only), and
`/rest/socialActions?ids=List(…)` (the batch of social-action summaries, `commentsSummary`).
Every call needs the `LinkedIn-Version` header, as the real API does, and a version retired a
year after its release (`RETIRED_AFTER_DAYS`) answers HTTP 426, as LinkedIn does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote

from werkzeug.routing import Rule

from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import (
    DELETED,
    Comment,
    Post,
    Store,
    apply_overrides,
    now_utc,
)

PLATFORM = "linkedin"
RETIRED_AFTER_DAYS = 366
_VERSION = re.compile(r"(\d{4})(\d{2})(?:\.\d{2})?")


def error(status: int, code: str, message: str, service_code: int = 100) -> Response:
    return Response(
        status,
        {"status": status, "serviceErrorCode": service_code, "code": code, "message": message},
    )


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        return error(
            401, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired", 65601
        )
    if kind in ("429", "rate_limit"):
        response = error(
            429,
            "TOO_MANY_REQUESTS",
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            101,
        )
        if kind == "429":
            response.headers["Retry-After"] = f"{retry_after:g}"
        return response
    return error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error", 0)


def guard(store: Store, request: Request) -> Response | None:
    if not request.bearer():
        return error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)
    if not request.header("LinkedIn-Version"):
        return error(
            400,
            "VERSION_MISSING",
            "A version must be present. Please specify a "
            "version by adding the LinkedIn-Version header.",
            0,
        )
    return _version_refused(request.header("LinkedIn-Version"))


def not_found(request: Request) -> Response:
    return error(404, "NOT_FOUND", f"No resource for {request.method} {request.path}")


def _comments_or_create(store: Store, request: Request, urn: str) -> Response:
    if request.method == "GET":
        return _comments(store, request, urn)
    return _create(store, request, urn)


def _version_refused(version: str) -> Response | None:
    match = _VERSION.fullmatch(version.strip())
    if match is None:
        return error(400, "VERSION_MISSING", f"Invalid version {version[:20]!r}", 0)
    released = dt.date(int(match.group(1)), max(1, min(12, int(match.group(2)))), 1)
    age = now_utc().date() - released
    if age.days > RETIRED_AFTER_DAYS or age.days < -31:
        return error(426, "NONEXISTENT_VERSION", f"Requested version {version} is not active", 0)
    return None


def _summary(store: Store, urn: str) -> dict[str, Any]:
    comments = [c for c in store.comments_of_post(PLATFORM, urn) if c.status != DELETED]
    return {
        "$URN": f"urn:li:socialActions:{urn}",
        "target": urn,
        "commentsSummary": {
            "aggregatedTotalComments": len(comments),
            "totalFirstLevelComments": sum(1 for c in comments if not c.parent_id),
            "selectedComments": [],
        },
        "likesSummary": {"totalLikes": 0, "likedByCurrentUser": False},
    }


def _summaries(store: Store, request: Request) -> Response:
    listed = request.arg("ids")
    if not (listed.startswith("List(") and listed.endswith(")")):
        return error(400, "PARAM_INVALID", "ids must be a List(...) of URNs")
    urns = [unquote(part) for part in listed[5:-1].split(",") if part]
    with store.lock:
        results = {urn: _summary(store, urn) for urn in urns if store.post(PLATFORM, urn)}
    errors = {urn: {"status": 404} for urn in urns if urn not in results}
    return ok({"results": results, "statuses": dict.fromkeys(results, 200), "errors": errors})


def render_post(post: Post) -> dict[str, Any]:
    ms = int(post.created_at.timestamp() * 1000)
    return {
        "id": post.id,
        "author": post.account_id,
        "commentary": post.text,
        "createdAt": ms,
        "publishedAt": ms,
        "lastModifiedAt": ms,
        "lifecycleState": "PUBLISHED",
        "visibility": "PUBLIC",
    }


def render_comment(comment: Comment, store: Store | None = None) -> dict[str, Any]:
    ms = int(comment.created_at.timestamp() * 1000)
    activity = comment.id.split("(", 1)[-1].split(",", 1)[0]
    item: dict[str, Any] = {
        "id": comment.id.rsplit(",", 1)[-1].rstrip(")"),
        "commentUrn": comment.id,
        "$URN": comment.id,
        "actor": comment.author.id,
        "object": activity,
        "message": {"text": comment.text, "attributes": []},
        "created": {"actor": comment.author.id, "time": ms},
        "lastModified": {"actor": comment.author.id, "time": ms},
    }
    if comment.parent_id:
        item["parentComment"] = comment.parent_id
    if store is not None:
        replies = [r for r in store.replies_of(PLATFORM, comment.id) if r.status != DELETED]
        item["commentsSummary"] = {
            "aggregatedTotalComments": len(replies),
            "totalFirstLevelComments": len(replies),
        }
    return apply_overrides(item, comment.overrides)


def _window(request: Request, default_count: int = 10) -> tuple[int, int] | Response:
    start = request.int_arg("start", 0)
    count = request.int_arg("count", default_count)
    if start is None or count is None or start < 0 or not 1 <= count <= 100:
        return error(400, "PARAM_INVALID", "start must be >= 0 and count between 1 and 100")
    return start, count


def _paged(items: list[Any], start: int, count: int, render: Any) -> Response:
    return ok(
        {
            "paging": {"start": start, "count": count, "links": [], "total": len(items)},
            "elements": [render(item) for item in items[start : start + count]],
        }
    )


def _posts(store: Store, request: Request) -> Response:
    if request.arg("q") != "author":
        return error(400, "PARAM_INVALID", "Unsupported finder: q must be author")
    window = _window(request)
    if isinstance(window, Response):
        return window
    with store.lock:
        posts = list(reversed(store.posts_of(PLATFORM, request.arg("author"))))
        return _paged(posts, *window, render_post)


def _comments(store: Store, request: Request, urn: str) -> Response:
    window = _window(request)
    if isinstance(window, Response):
        return window
    with store.lock:
        post = store.post(PLATFORM, urn)
        parent = store.comment(PLATFORM, urn)
        if post is None and parent is None:
            return error(404, "NOT_FOUND", f"Not found: {urn}")
        post_id = post.id if post else parent.post_id if parent else ""
        wanted_parent = "" if post else urn
        # Under a post only its top-level comments; the comments on a comment only under it.
        comments = [
            c
            for c in store.comments_of_post(PLATFORM, post_id)
            if c.status != DELETED and c.parent_id == wanted_parent
        ]
        return _paged(comments, *window, lambda c: render_comment(c, store))


def _create(store: Store, request: Request, urn: str) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    text = body.get("message", {}).get("text") if isinstance(body.get("message"), dict) else None
    actor = body.get("actor")
    if not isinstance(text, str) or not text or not isinstance(actor, str):
        return error(422, "UNPROCESSABLE_ENTITY", "actor and message.text are required")
    with store.lock:
        post = store.post(PLATFORM, urn)
        parent = store.comment(PLATFORM, urn)
        if post is None and parent is None:
            return error(404, "NOT_FOUND", f"Not found: {urn}")
        post_id = post.id if post else parent.post_id if parent else ""
        account = store.account(PLATFORM, actor)
        created = store.add_comment(
            PLATFORM,
            account.id,
            post_id,
            text,
            account.author,
            parent_id=parent.id if parent else "",
        )
        store.record(PLATFORM, "reply", urn, message=text, id=created.id)
        rendered = render_comment(created)
    return Response(201, rendered, {"x-restli-id": created.id})


def _delete(store: Store, request: Request, urn: str, comment_id: str) -> Response:
    with store.lock:
        comment = next(
            (
                c
                for c in store.comments.values()
                if c.platform == PLATFORM and c.id.endswith(f",{comment_id})")
            ),
            None,
        )
        if comment is None or comment.status == DELETED:
            return error(404, "NOT_FOUND", f"Comment {comment_id} not found")
        if comment.author.id != request.arg("actor"):
            return error(
                403,
                "ACCESS_DENIED",
                "Not enough permissions to access: socialActions.comments.DELETE.20250601",
            )
        store.set_status(comment, DELETED)
        store.record(PLATFORM, "delete", comment.id)
    return Response(204)


OPEN_ROUTES: list[Rule] = []
ROUTES = [
    route("/rest/posts", _posts, ["GET"]),
    route("/rest/socialActions", _summaries, ["GET"]),
    route("/rest/socialActions/<urn>/comments", _comments_or_create),
    route("/rest/socialActions/<urn>/comments/<comment_id>", _delete, ["DELETE"]),
]
