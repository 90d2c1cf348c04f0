"""Emulated TikTok API for Business (Accounts): videos, comments, hide, reply.

Paths: `/tiktok/open_api/v1.3/business/video/list/`, `/business/comment/list/`,
`/business/comment/hide/`, `/business/comment/reply/create/`, `/business/comment/delete/`, and
the token refresh `/tiktok/open_api/v1.3/tt_user/oauth2/refresh_token/` (JSON `client_id`,
`client_secret`, `grant_type=refresh_token`, `refresh_token`; answers a new access token for
`expires_in` 86,400 s and a new refresh token for about a year, as the community library's
recorded answer shows; the old refresh token is spent). Answers are
`{"code", "message", "request_id", "data"}` envelopes with HTTP 200, errors included: 40102 for an
expired access token, 40103 for an expired refresh token, 40105 for an unknown one.
"""

from __future__ import annotations

import secrets
from typing import Any

from moderation.emulator.http import Request, Response, route
from moderation.emulator.store import (
    DELETED,
    HIDDEN,
    VISIBLE,
    Comment,
    Post,
    Store,
    apply_overrides,
)

PLATFORM = "tiktok"


def envelope(code: int, message: str, data: Any = None, status: int = 200) -> Response:
    return Response(
        status,
        {
            "code": code,
            "message": message,
            "request_id": secrets.token_hex(12),
            "data": data if data is not None else {},
        },
    )


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        return envelope(40102, "The access token has expired.")
    if kind == "rate_limit":
        return envelope(40100, "Too many requests. Please retry in some time.")
    if kind == "429":
        response = envelope(40100, "Too many requests. Please retry in some time.", status=429)
        response.headers["Retry-After"] = f"{retry_after:g}"
        return response
    return envelope(50000, "Internal service error.", status=500)


ACCESS_LIFETIME = 86_400
REFRESH_LIFETIME = 31_536_000


def guard(store: Store, request: Request) -> Response | None:
    token = request.header("Access-Token")
    if not token:
        return envelope(40104, "Access token is empty.")
    if store.is_expired(token):
        return fault("expired_token", 0)
    return None


def not_found(request: Request) -> Response:
    return envelope(40001, f"Unknown endpoint {request.method} {request.path}", status=404)


def _refresh(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    if request.method != "POST" or body.get("grant_type") != "refresh_token":
        return envelope(40002, "grant_type must be refresh_token")
    if not body.get("client_id") or not body.get("client_secret"):
        return envelope(40002, "client_id and client_secret are required")
    old = str(body.get("refresh_token") or "")
    with store.lock:
        if not old or old in store.spent_refresh_tokens or store.is_expired(old):
            return envelope(40103, "The refresh token has expired.")
        store.spent_refresh_tokens.add(old)
        number = store.next_seq()
        store.token_refreshes.append(
            {"platform": PLATFORM, "client_id": str(body["client_id"]), "basic": False}
        )
    access, access_life = store.issue_token(
        PLATFORM, "access", f"act.{number}.{secrets.token_hex(4)}"
    )
    refresh, refresh_life = store.issue_token(
        PLATFORM, "refresh", f"rft.{number}.{secrets.token_hex(4)}"
    )
    return envelope(
        0,
        "OK",
        {
            "access_token": access,
            "expires_in": int(access_life or ACCESS_LIFETIME),
            "open_id": "openid",
            "refresh_token": refresh,
            "refresh_token_expires_in": int(refresh_life or REFRESH_LIFETIME),
            "scope": "comment.list,comment.list.manage,video.list,user.info.basic",
            "token_type": "Bearer",
        },
    )


def render_video(post: Post) -> dict[str, Any]:
    return {
        "item_id": post.id,
        "create_time": int(post.created_at.timestamp()),
        "caption": post.text,
        "share_url": f"https://www.tiktok.com/@examplecouncil/video/{post.id}",
    }


def render_comment(comment: Comment) -> dict[str, Any]:
    item: dict[str, Any] = {
        "comment_id": comment.id,
        "video_id": comment.post_id,
        "unique_identifier": comment.author.id,
        "username": comment.author.handle,
        "create_time": int(comment.created_at.timestamp()),
        "text": comment.text,
        "likes": 0,
        "replies": 0,
        "status": "HIDDEN" if comment.status == HIDDEN else "PUBLIC",
        "owner": comment.author.id == comment.account_id,
        "pinned": False,
    }
    if comment.parent_id:
        item["parent_comment_id"] = comment.parent_id
    return apply_overrides(item, comment.overrides)


def _window(request: Request, maximum: int) -> tuple[int, int] | Response:
    cursor = request.int_arg("cursor", 0)
    count = request.int_arg("max_count", 20)
    if cursor is None or cursor < 0:
        return envelope(40002, "cursor must be a non-negative integer")
    if count is None or not 1 <= count <= maximum:
        return envelope(40002, f"max_count must be between 1 and {maximum}")
    return cursor, count


def _page(items: list[Any], cursor: int, count: int, key: str) -> dict[str, Any]:
    chunk = items[cursor : cursor + count]
    return {key: chunk, "cursor": cursor + len(chunk), "has_more": cursor + count < len(items)}


def _videos(store: Store, request: Request) -> Response:
    window = _window(request, 20)
    if isinstance(window, Response):
        return window
    with store.lock:
        videos = [
            render_video(p) for p in reversed(store.posts_of(PLATFORM, request.arg("business_id")))
        ]
    return envelope(0, "OK", _page(videos, *window, "videos"))


def _comments(store: Store, request: Request) -> Response:
    window = _window(request, 30)
    if isinstance(window, Response):
        return window
    video_id = request.arg("video_id")
    include_replies = request.arg("include_replies") == "true"
    public_only = request.arg("status", "PUBLIC") == "PUBLIC"
    newest_first = request.arg("sort_order", "desc") == "desc"
    with store.lock:
        post = store.post(PLATFORM, video_id)
        if post is None or post.account_id != request.arg("business_id"):
            return envelope(40002, "video_id does not belong to this business_id")
        comments = [
            c
            for c in store.comments_of_post(PLATFORM, video_id)
            if c.status != DELETED
            and (include_replies or not c.parent_id)
            and (not public_only or c.status == VISIBLE)
        ]
        if newest_first:
            comments.reverse()
        rendered = [render_comment(c) for c in comments[window[0] : window[0] + window[1]]]
    data = {
        "comments": rendered,
        "cursor": window[0] + len(rendered),
        "has_more": window[0] + window[1] < len(comments),
    }
    return envelope(0, "OK", data)


def _target(store: Store, request: Request) -> Comment | Response:
    comment = store.comment(PLATFORM, request.arg("comment_id"))
    if comment is None or comment.status == DELETED:
        return envelope(40002, "comment_id not found")
    if comment.post_id != request.arg("video_id"):
        return envelope(40002, "comment_id does not belong to video_id")
    if comment.account_id != request.arg("business_id"):
        return envelope(40001, "No permission to operate on this comment")
    return comment


def _hide(store: Store, request: Request) -> Response:
    action = request.arg("action")
    if action not in ("HIDE", "UNHIDE"):
        return envelope(40002, "action must be HIDE or UNHIDE")
    with store.lock:
        comment = _target(store, request)
        if isinstance(comment, Response):
            return comment
        store.set_status(comment, HIDDEN if action == "HIDE" else VISIBLE)
        store.record(PLATFORM, "hide" if action == "HIDE" else "unhide", comment.id)
    return envelope(0, "OK", {})


def _reply(store: Store, request: Request) -> Response:
    text = request.arg("text")
    if not text or len(text) > 150:
        return envelope(40002, "text must be 1 to 150 characters")
    with store.lock:
        comment = _target(store, request)
        if isinstance(comment, Response):
            return comment
        account = store.account(PLATFORM, comment.account_id)
        created = store.add_comment(
            PLATFORM,
            account.id,
            comment.post_id,
            text,
            account.author,
            parent_id=comment.parent_id or comment.id,
        )
        store.record(PLATFORM, "reply", comment.id, message=text, id=created.id)
        return envelope(0, "OK", {"comment_id": created.id, "text": text})


def _comment_on_video(store: Store, request: Request) -> Response:
    text = request.arg("text")
    if not text or len(text) > 150:
        return envelope(40002, "text must be 1 to 150 characters")
    with store.lock:
        video = store.post(PLATFORM, request.arg("video_id"))
        if video is None:
            return envelope(40001, "video not found")
        account = store.account(PLATFORM, video.account_id)
        created = store.add_comment(PLATFORM, account.id, video.id, text, account.author)
        store.record(PLATFORM, "reply", video.id, message=text, id=created.id)
        return envelope(0, "OK", {"comment_id": created.id, "video_id": video.id, "text": text})


def _delete(store: Store, request: Request) -> Response:
    with store.lock:
        comment = _target(store, request)
        if isinstance(comment, Response):
            return comment
        if comment.author.id != comment.account_id:
            return envelope(40001, "Only the account's own comments can be deleted")
        store.set_status(comment, DELETED)
        store.record(PLATFORM, "delete", comment.id)
    return envelope(0, "OK", {})


OPEN_ROUTES = [route("/open_api/<_version>/tt_user/oauth2/refresh_token/", _refresh)]
ROUTES = [
    route("/open_api/<_version>/business/video/list/", _videos, ["GET"]),
    route("/open_api/<_version>/business/comment/list/", _comments, ["GET"]),
    route("/open_api/<_version>/business/comment/hide/", _hide, ["POST"]),
    route("/open_api/<_version>/business/comment/reply/create/", _reply, ["POST"]),
    route("/open_api/<_version>/business/comment/create/", _comment_on_video, ["POST"]),
    route("/open_api/<_version>/business/comment/delete/", _delete, ["POST"]),
]
