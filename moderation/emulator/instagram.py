"""Emulated Instagram Graph API: media, comments (with `replies{…}`), hide, delete, reply.

Paths: `/instagram/v{N}/{ig-user-id}/media`, `/{ig-media-id}/comments`,
`/{ig-comment-id}/replies` (GET, POST), `/{ig-comment-id}` (POST `hide`, DELETE).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule

import moderation.emulator.graph as graph
import moderation.emulator.meta_messaging as meta_messaging
from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import (
    DELETED,
    HIDDEN,
    VISIBLE,
    Comment,
    Post,
    Store,
    apply_overrides,
    encode_key,
)

PLATFORM = "instagram"
fault = graph.fault
guard = graph.guard
not_found = graph.unsupported
EMBEDDED_REPLIES = 25


def _replies_or_reply(store: Store, request: Request, comment_id: str) -> Response:
    if request.method == "GET":
        return _replies(store, request, comment_id)
    return _reply(store, request, comment_id)


def render_media(store: Store, post: Post, wanted: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": post.id,
        "caption": post.text,
        "permalink": f"https://www.instagram.com/p/C{post.number}x/",
        "timestamp": graph.graph_time(post.created_at),
        "media_type": "IMAGE",
    }
    if "comments_count" in wanted:
        comments = store.comments_of_post(PLATFORM, post.id)
        item["comments_count"] = sum(1 for c in comments if c.status != DELETED)
    return graph.select(item, wanted)


def render_comment(
    store: Store, request: Request, comment: Comment, wanted: dict[str, str]
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": comment.id,
        "text": comment.text,
        "timestamp": graph.graph_time(comment.created_at),
        "username": comment.author.handle,
        "from": {"id": comment.author.id, "username": comment.author.handle},
        "hidden": comment.status == HIDDEN,
        "like_count": 0,
        "media": {"id": comment.post_id},
    }
    if comment.parent_id:
        item["parent_id"] = comment.parent_id
    if "replies" in wanted and not comment.parent_id:
        inner = graph.fields(_with_fields(request, wanted["replies"] or "id,text"), "id,text")
        replies = [c for c in store.replies_of(PLATFORM, comment.id) if c.status != DELETED]
        shown = replies[:EMBEDDED_REPLIES]
        nested: dict[str, Any] = {"data": [render_comment(store, request, c, inner) for c in shown]}
        if shown:
            nested["paging"] = {
                "cursors": {"before": encode_key(shown[0].key), "after": encode_key(shown[-1].key)}
            }
            if len(replies) > EMBEDDED_REPLIES:
                nested["paging"]["next"] = request.url(
                    f"/{request.segments[0]}/{comment.id}/replies",
                    {"after": encode_key(shown[-1].key)},
                )
        item["replies"] = nested
    return apply_overrides(graph.select(item, wanted), comment.overrides)


def _with_fields(request: Request, fields: str) -> Request:
    return Request(
        request.method,
        request.platform,
        request.path,
        request.segments,
        {"fields": [fields]},
        {},
        None,
        request.headers,
        request.base,
    )


def _media(store: Store, request: Request, user_id: str) -> Response:
    wanted = graph.fields(request, "id,caption")
    with store.lock:
        return graph.paged(
            request,
            store.posts_of(PLATFORM, user_id),
            lambda post: render_media(store, post, wanted),
            newest_first=True,
            keep=lambda post: True,
        )


def _comments(store: Store, request: Request, media_id: str) -> Response:
    wanted = graph.fields(request, "id,text,timestamp")
    with store.lock:
        if store.post(PLATFORM, media_id) is None:
            return graph.not_found(media_id)
        return graph.paged(
            request,
            store.comments_of_post(PLATFORM, media_id),
            lambda comment: render_comment(store, request, comment, wanted),
            newest_first=False,
            keep=lambda comment: comment.status != DELETED and not comment.parent_id,
        )


def _replies(store: Store, request: Request, comment_id: str) -> Response:
    wanted = graph.fields(request, "id,text,timestamp")
    with store.lock:
        parent = store.comment(PLATFORM, comment_id)
        if parent is None or parent.status == DELETED:
            return graph.not_found(comment_id)
        return graph.paged(
            request,
            store.replies_of(PLATFORM, comment_id),
            lambda comment: render_comment(store, request, comment, wanted),
            newest_first=False,
            keep=lambda comment: comment.status != DELETED,
        )


def _comment_on_media(store: Store, request: Request, media_id: str) -> Response:
    message = request.arg("message")
    with store.lock:
        media = store.post(PLATFORM, media_id)
        if media is None:
            return graph.not_found(media_id)
        if not message:
            return graph.error(400, "(#100) The parameter message is required", 100)
        account = store.account(PLATFORM, media.account_id)
        created = store.add_comment(PLATFORM, account.id, media.id, message, account.author)
        store.record(PLATFORM, "reply", media_id, message=message, id=created.id)
        return ok({"id": created.id})


def _reply(store: Store, request: Request, comment_id: str) -> Response:
    message = request.arg("message")
    with store.lock:
        parent = store.comment(PLATFORM, comment_id)
        if parent is None or parent.status == DELETED:
            return graph.not_found(comment_id)
        if parent.parent_id:
            return graph.error(400, "(#100) Replies can only be made to top-level comments", 100)
        if parent.status == HIDDEN:
            return graph.error(400, "(#100) Cannot reply to a hidden comment", 100)
        if not message:
            return graph.error(400, "(#100) The parameter message is required", 100)
        account = store.account(PLATFORM, parent.account_id)
        created = store.add_comment(
            PLATFORM, account.id, parent.post_id, message, account.author, parent_id=parent.id
        )
        store.record(PLATFORM, "reply", comment_id, message=message, id=created.id)
        return ok({"id": created.id})


def _moderate(store: Store, request: Request, comment_id: str) -> Response:
    with store.lock:
        comment = store.comment(PLATFORM, comment_id)
        if comment is None or comment.status == DELETED:
            return graph.not_found(comment_id)
        if request.method == "DELETE":
            store.set_status(comment, DELETED)
            store.record(PLATFORM, "delete", comment_id)
            return ok({"success": True})
        hide = request.arg("hide")
        if hide not in ("true", "false"):
            return graph.error(400, "(#100) The parameter hide is required", 100)
        store.set_status(comment, HIDDEN if hide == "true" else VISIBLE)
        store.record(PLATFORM, "hide" if hide == "true" else "unhide", comment_id)
        return ok({"success": True})


OPEN_ROUTES: list[Rule] = []
ROUTES = [
    route("/<_version>/<user_id>/media", _media, ["GET"]),
    route("/<_version>/<media_id>/comments", _comments, ["GET"]),
    route("/<_version>/<media_id>/comments", _comment_on_media, ["POST"]),
    route("/<_version>/<comment_id>/replies", _replies_or_reply),
    route("/<_version>/<comment_id>", _moderate, ["POST", "DELETE"]),
    *meta_messaging.ROUTES,
]
