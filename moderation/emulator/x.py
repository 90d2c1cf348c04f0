"""Emulated X API v2: mentions timeline, hide replies, post replies, delete own posts.

Paths: `/x/2/users/{id}/mentions`, `/2/tweets/{id}/hidden` (PUT), `/2/tweets` (POST),
`/2/tweets/{id}` (DELETE), `/2/users/{id}/blocking` (Enterprise only: refused),
`/2/users/{id}/muting`. Every answer carries the `x-rate-limit-*` headers.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import moderation.emulator.oauth as oauth
from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import (
    DELETED,
    HIDDEN,
    VISIBLE,
    Comment,
    Store,
    apply_overrides,
    decode_key,
    encode_key,
    page_of,
)

PLATFORM = "x"


def problem(status: int, title: str, detail: str, type_: str = "about:blank") -> Response:
    return Response(
        status, {"title": title, "detail": detail, "type": type_, "status": status}, _limits()
    )


def _limits(remaining: int = 449, reset_in: float = 900) -> dict[str, str]:
    return {
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(int(time.time() + reset_in)),
    }


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        return problem(401, "Unauthorized", "Unauthorized")
    if kind in ("429", "rate_limit"):
        response = problem(429, "Too Many Requests", "Too Many Requests")
        # X says when the window resets (epoch seconds), not Retry-After.
        response.headers.update(_limits(0, retry_after if kind == "429" else 900))
        return response
    return problem(500, "Internal Server Error", "Something went wrong.")


def _usage_capped(store: Store) -> Response | None:
    """X's answer once the plan's monthly cap of posts read is used up (as observed: HTTP 429,
    the usage-capped problem, with the 15-minute rate-limit headers untouched)."""
    with store.lock:
        if store.x_monthly_cap is None or store.x_posts_read < store.x_monthly_cap:
            return None
    return Response(
        429,
        {
            "account_id": "1",
            "product_name": "standard-basic",
            "title": "UsageCapExceeded",
            "period": "Monthly",
            "scope": "Product",
            "detail": "Usage cap exceeded: Monthly product cap",
            "type": "https://api.twitter.com/2/problems/usage-capped",
        },
        _limits(),
    )


def guard(store: Store, request: Request) -> Response | None:
    return None if request.bearer() else problem(401, "Unauthorized", "Unauthorized")


def not_found(request: Request) -> Response:
    return problem(404, "Not Found Error", f"No route for {request.method} {request.path}")


def _refresh(store: Store, request: Request) -> Response:
    return oauth.refresh(store, request, rotate=True, lifetime_seconds=7200)


def _block(store: Store, request: Request, user_id: str) -> Response:
    return problem(
        403,
        "Client Forbidden",
        "This endpoint is only available to Enterprise projects.",
        "https://api.twitter.com/2/problems/client-forbidden",
    )


def _mute(store: Store, request: Request, user_id: str) -> Response:
    target = request.arg("target_user_id")
    store.record(PLATFORM, "mute", target)
    return ok({"data": {"muting": True}}, headers=_limits())


def render(store: Store, comment: Comment, fields: set[str]) -> dict[str, Any]:
    post = store.post(PLATFORM, comment.post_id)
    conversation = post.id if post else comment.post_id
    tweet: dict[str, Any] = {
        "id": comment.id,
        "text": comment.text,
        "edit_history_tweet_ids": [comment.id],
    }
    optional: dict[str, Any] = {
        "author_id": comment.author.id,
        "conversation_id": conversation,
        "created_at": comment.created_at.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{comment.created_at.microsecond // 1000:03d}Z",
        "in_reply_to_user_id": comment.account_id,
        "referenced_tweets": [{"type": "replied_to", "id": comment.parent_id or conversation}],
    }
    tweet.update({k: v for k, v in optional.items() if k in fields})
    return apply_overrides(tweet, comment.overrides)


def _time(value: str) -> float | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _mentions(store: Store, request: Request, user_id: str) -> Response:
    limit = request.int_arg("max_results", 10)
    if limit is None or not 5 <= limit <= 100:
        return problem(
            400,
            "Invalid Request",
            "The `max_results` query parameter value is not between 5 and 100",
            "https://api.twitter.com/2/problems/invalid-request",
        )
    since_id = request.arg("since_id")
    until_id = request.arg("until_id")
    start = _time(request.arg("start_time")) if request.arg("start_time") else None
    token = request.arg("pagination_token")
    try:
        after = decode_key(token) if token else None
    except ValueError:
        return problem(
            400,
            "Invalid Request",
            "The `pagination_token` is invalid",
            "https://api.twitter.com/2/problems/invalid-request",
        )
    fields = set(request.arg("tweet.fields").split(","))

    since = int(since_id) if since_id.isdigit() else None
    until = int(until_id) if until_id.isdigit() else None
    capped = _usage_capped(store)
    if capped is not None:
        return capped

    def keep(comment: Comment) -> bool:
        if comment.status == DELETED or comment.author.id == user_id:
            return False
        if since is not None and int(comment.id) <= since:
            return False
        return until is None or int(comment.id) < until

    with store.lock:
        chunk, more = page_of(
            store.comments_of_account(PLATFORM, user_id),
            after,
            limit,
            newest_first=True,
            keep=keep,
            floor=start,
        )
        data = [render(store, c, fields) for c in chunk]
        users = {c.author.id: c.author for c in chunk}
        store.x_posts_read += len(data)  # X bills, and caps, posts read
    meta: dict[str, Any] = {"result_count": len(data)}
    if not data:
        return ok({"meta": meta}, headers=_limits())
    meta.update(newest_id=chunk[0].id, oldest_id=chunk[-1].id)
    if more:
        meta["next_token"] = encode_key(chunk[-1].key)
    body: dict[str, Any] = {"data": data, "meta": meta}
    if "author_id" in request.arg("expansions"):
        body["includes"] = {
            "users": [{"id": a.id, "name": a.name, "username": a.handle} for a in users.values()]
        }
    return ok(body, headers=_limits())


def _hide(store: Store, request: Request, tweet_id: str) -> Response:
    hidden = request.body.get("hidden") if isinstance(request.body, dict) else None
    if not isinstance(hidden, bool):
        return problem(
            400,
            "Invalid Request",
            "`hidden` must be true or false",
            "https://api.twitter.com/2/problems/invalid-request",
        )
    with store.lock:
        comment = store.comment(PLATFORM, tweet_id)
        if comment is None or comment.status == DELETED:
            return problem(
                404,
                "Not Found Error",
                f"Could not find tweet with id: [{tweet_id}].",
                "https://api.twitter.com/2/problems/resource-not-found",
            )
        if comment.author.id == comment.account_id:
            return problem(403, "Forbidden", "You cannot hide your own reply.")
        store.set_status(comment, HIDDEN if hidden else VISIBLE)
        store.record(PLATFORM, "hide" if hidden else "unhide", tweet_id)
    return ok({"data": {"hidden": hidden}}, headers=_limits())


def _post(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    text = body.get("text")
    reply = body.get("reply") if isinstance(body.get("reply"), dict) else {}
    target = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
    if not isinstance(text, str) or not text or len(text) > 280:
        return problem(
            400,
            "Invalid Request",
            "`text` must be 1 to 280 characters",
            "https://api.twitter.com/2/problems/invalid-request",
        )
    with store.lock:
        parent = store.comment(PLATFORM, target) if isinstance(target, str) else None
        post = store.post(PLATFORM, target) if isinstance(target, str) else None
        if parent is None and post is None:
            return problem(
                400,
                "Invalid Request",
                "The reply target does not exist",
                "https://api.twitter.com/2/problems/invalid-request",
            )
        account_id = parent.account_id if parent else post.account_id if post else ""
        account = store.account(PLATFORM, account_id)
        created = store.add_comment(
            PLATFORM,
            account.id,
            parent.post_id if parent else post.id if post else "",
            text,
            account.author,
            parent_id=parent.id if parent else "",
        )
        store.record(PLATFORM, "reply", str(target), message=text, id=created.id)
    return ok(
        {"data": {"id": created.id, "text": text, "edit_history_tweet_ids": [created.id]}},
        201,
        headers=_limits(),
    )


def _delete(store: Store, request: Request, tweet_id: str) -> Response:
    with store.lock:
        comment = store.comment(PLATFORM, tweet_id)
        if comment is None or comment.status == DELETED:
            return problem(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")
        if comment.author.id != comment.account_id:
            return problem(403, "Forbidden", "You are not allowed to delete this Tweet.")
        store.set_status(comment, DELETED)
        store.record(PLATFORM, "delete", tweet_id)
    return ok({"data": {"deleted": True}}, headers=_limits())


OPEN_ROUTES = [route("/2/oauth2/token", _refresh)]
ROUTES = [
    route("/2/users/<user_id>/mentions", _mentions, ["GET"]),
    route("/2/tweets/<tweet_id>/hidden", _hide, ["PUT"]),
    route("/2/tweets", _post, ["POST"]),
    route("/2/tweets/<tweet_id>", _delete, ["DELETE"]),
    route("/2/users/<user_id>/blocking", _block, ["POST"]),
    route("/2/users/<user_id>/muting", _mute, ["POST"]),
]
