"""Emulated Facebook Pages Graph API: posts, comments, hide, delete, reply, block.

Paths: `/facebook/v{N}/{page-id}/feed|published_posts`, `/{object-id}/comments`,
`/{object-id}`, `/{comment-id}` (POST `is_hidden`, DELETE), `/{page-id}/blocked`.
"""

from __future__ import annotations

from datetime import UTC, datetime
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
)

PLATFORM = "facebook"
POST_EDGES = ("feed", "published_posts", "posts")
fault = graph.fault
guard = graph.guard
not_found = graph.unsupported


def _comments(store: Store, request: Request, object_id: str) -> Response:
    if request.method == "GET":
        return _list_comments(store, request, object_id)
    return _reply(store, request, object_id)


def render_post(post: Post, wanted: dict[str, str]) -> dict[str, Any]:
    item = {
        "id": post.id,
        "message": post.text,
        "created_time": graph.graph_time(post.created_at),
        "permalink_url": f"https://www.facebook.com/{post.id}",
    }
    return graph.select(item, wanted)


def render_comment(store: Store, comment: Comment, wanted: dict[str, str]) -> dict[str, Any]:
    account = store.account(PLATFORM, comment.account_id)
    by_page = comment.author.id == account.id
    item: dict[str, Any] = {
        "id": comment.id,
        "message": comment.text,
        "created_time": graph.graph_time(comment.created_at),
        "from": {"name": comment.author.name, "id": comment.author.id},
        "permalink_url": f"https://www.facebook.com/{comment.post_id}?comment_id={comment.id}",
        "is_hidden": comment.status == HIDDEN,
        "can_hide": not by_page,
        "can_remove": True,
        "object": {"id": comment.post_id},
    }
    if "comment_count" in wanted:
        replies = store.replies_of(PLATFORM, comment.id)
        item["comment_count"] = sum(1 for c in replies if c.status != DELETED)
    if comment.parent_id:
        item["parent"] = {"id": comment.parent_id}
    return apply_overrides(graph.select(item, wanted), comment.overrides)


def _since(request: Request) -> float | None:
    value = request.arg("since")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
        except ValueError:
            return None


def _posts(store: Store, request: Request, page_id: str) -> Response:
    wanted = graph.fields(request, "id,message,created_time")
    since = _since(request)
    with store.lock:
        return graph.paged(
            request,
            store.posts_of(PLATFORM, page_id),
            lambda post: render_post(post, wanted),
            newest_first=True,
            keep=lambda post: True,
            floor=since,
        )


def _list_comments(store: Store, request: Request, object_id: str) -> Response:
    wanted = graph.fields(request, "id,message,created_time,from")
    since = _since(request)
    stream = request.arg("filter") == "stream"
    newest_first = request.arg("order") == "reverse_chronological"
    with store.lock:
        post = store.post(PLATFORM, object_id)
        parent = store.comment(PLATFORM, object_id)
        if post is None and parent is None:
            return graph.not_found(object_id)
        post_id = post.id if post else parent.post_id if parent else ""

        def keep(comment: Comment) -> bool:
            if comment.status == DELETED:
                return False
            if since is not None and comment.created_at.timestamp() < since:
                return False
            if post is not None:  # a post's comments: top level, or all with filter=stream
                return stream or comment.parent_id == ""
            return comment.parent_id == object_id  # a comment's replies

        return graph.paged(
            request,
            store.comments_of_post(PLATFORM, post_id),
            lambda comment: render_comment(store, comment, wanted),
            newest_first=newest_first,
            keep=keep,
            floor=since,
        )


def _object(store: Store, request: Request, object_id: str) -> Response:
    with store.lock:
        comment = store.comment(PLATFORM, object_id)
        post = store.post(PLATFORM, object_id)
        if request.method == "GET":
            if comment and comment.status != DELETED:
                wanted = graph.fields(request, "id,message,created_time,from")
                return ok(render_comment(store, comment, wanted))
            if post:
                return ok(render_post(post, graph.fields(request, "id,message,created_time")))
            return graph.not_found(object_id)
        if comment is None or comment.status == DELETED:
            return graph.not_found(object_id)
        if request.method == "DELETE":
            store.set_status(comment, DELETED)
            store.record(PLATFORM, "delete", comment.id)
            return ok({"success": True})
        if request.method == "POST" and request.arg("is_hidden") in ("true", "false"):
            if comment.author.id == comment.account_id:
                return graph.error(400, "(#100) The Page's own comments cannot be hidden", 100)
            hidden = request.arg("is_hidden") == "true"
            store.set_status(comment, HIDDEN if hidden else VISIBLE)
            store.record(PLATFORM, "hide" if hidden else "unhide", comment.id)
            return ok({"success": True})
    return graph.unsupported(request)


def _reply(store: Store, request: Request, object_id: str) -> Response:
    if request.method != "POST":
        return graph.unsupported(request)
    message = request.arg("message")
    if not message:
        return graph.error(400, "(#100) Missing message or attachment", 100)
    with store.lock:
        comment = store.comment(PLATFORM, object_id)
        post = store.post(PLATFORM, object_id)
        if comment is not None:
            account = store.account(PLATFORM, comment.account_id)
            # Facebook threads are two levels deep: a reply to a reply joins its thread.
            parent = comment.parent_id or comment.id
            created = store.add_comment(
                PLATFORM, account.id, comment.post_id, message, account.author, parent_id=parent
            )
        elif post is not None:
            account = store.account(PLATFORM, post.account_id)
            created = store.add_comment(PLATFORM, account.id, post.id, message, account.author)
        else:
            return graph.not_found(object_id)
        store.record(PLATFORM, "reply", object_id, message=message, id=created.id)
        return ok({"id": created.id})


def _blocked(store: Store, request: Request, page_id: str) -> Response:
    if request.method == "GET":
        return ok({"data": [{"id": user} for user in sorted(store.blocked(PLATFORM, page_id))]})
    users = [
        u.strip()
        for name in ("user", "uid", "asid", "psid")
        for value in request.args(name) or ([request.arg(name)] if request.arg(name) else [])
        for u in value.strip("[]").replace('"', "").split(",")
        if u.strip()
    ]
    if not users:
        return graph.error(400, "(#100) Param user must be a list of user ids", 100)
    if request.method == "POST":
        for user in users:
            store.block(PLATFORM, page_id, user)
            store.record(PLATFORM, "block", user, page=page_id)
        return ok(dict.fromkeys(users, True))
    if request.method == "DELETE":
        for user in users:
            store.unblock(PLATFORM, page_id, user)
            store.record(PLATFORM, "unblock", user, page=page_id)
        return ok({"success": True})
    return graph.unsupported(request)


OPEN_ROUTES: list[Rule] = []
ROUTES = [
    *(route(f"/<_version>/<page_id>/{edge}", _posts, ["GET"]) for edge in POST_EDGES),
    route("/<_version>/<object_id>/comments", _comments),
    route("/<_version>/<page_id>/blocked", _blocked),
    route("/<_version>/<object_id>", _object),
    *meta_messaging.ROUTES,
]
