"""Emulated Threads API: the council's posts, conversations, manage_reply, two-step replies.

Paths: `/threads/v1.0/{user-id|me}/threads` (GET list; POST create a container),
`/{user-id|me}/threads_publish`, `/{media-id}/conversation`, `/{media-id}/replies`,
`/{reply-id}/manage_reply`, `/{media-id}` (DELETE, own posts only).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule

import moderation.emulator.graph as graph
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

PLATFORM = "threads"
fault = graph.fault
guard = graph.guard
not_found = graph.unsupported


def _threads(store: Store, request: Request, user: str) -> Response:
    if request.method == "GET":
        return _posts(store, request, _user(store, user))
    return _container(store, request, _user(store, user))


def _publish_for(store: Store, request: Request, user: str) -> Response:
    return _publish(store, request, _user(store, user))


def _replies(store: Store, request: Request, media_id: str) -> Response:
    return _conversation(store, request, media_id, top_level_only=True)


def _whole_conversation(store: Store, request: Request, media_id: str) -> Response:
    return _conversation(store, request, media_id, top_level_only=False)


def _user(store: Store, user: str) -> str:
    if user != "me":
        return user
    with store.lock:
        accounts = [a.id for (platform, _), a in store.accounts.items() if platform == PLATFORM]
    return accounts[0] if accounts else user


def render_post(post: Post, wanted: dict[str, str]) -> dict[str, Any]:
    item = {
        "id": post.id,
        "text": post.text,
        "permalink": f"https://www.threads.net/@examplecouncil/post/P{post.number}",
        "timestamp": graph.graph_time(post.created_at),
        "media_type": "TEXT_POST",
    }
    return graph.select(item, wanted)


def render_reply(store: Store, comment: Comment, wanted: dict[str, str]) -> dict[str, Any]:
    post = store.post(PLATFORM, comment.post_id)
    owner = store.account(PLATFORM, comment.account_id)
    item: dict[str, Any] = {
        "id": comment.id,
        "text": comment.text,
        "username": comment.author.handle,
        "timestamp": graph.graph_time(comment.created_at),
        "permalink": f"https://www.threads.net/@{comment.author.handle}/post/R{comment.seq}",
        "replied_to": {"id": comment.parent_id or comment.post_id},
        "root_post": {
            "id": comment.post_id,
            "owner_id": owner.id,
            "username": owner.handle,
        },
        "is_reply": True,
        "is_reply_owned_by_me": comment.author.id == comment.account_id,
        "hide_status": "HIDDEN" if comment.status == HIDDEN else "NOT_HUSHED",
        "media_type": "TEXT_POST",
        "shortcode": f"R{comment.seq}",
    }
    if post is None:
        item.pop("root_post")
    return apply_overrides(graph.select(item, wanted), comment.overrides)


def _posts(store: Store, request: Request, user: str) -> Response:
    wanted = graph.fields(request, "id")
    since = request.int_arg("since", 0) or 0
    with store.lock:
        return graph.paged(
            request,
            store.posts_of(PLATFORM, user),
            lambda post: render_post(post, wanted),
            newest_first=True,
            keep=lambda post: True,
            floor=since,
        )


def _conversation(
    store: Store, request: Request, media_id: str, *, top_level_only: bool
) -> Response:
    wanted = graph.fields(request, "id")
    with store.lock:
        post = store.post(PLATFORM, media_id)
        if post is None:
            return graph.not_found(media_id)
        return graph.paged(
            request,
            store.comments_of_post(PLATFORM, media_id),
            lambda comment: render_reply(store, comment, wanted),
            newest_first=request.arg("reverse", "true") == "true" and not top_level_only,
            keep=lambda c: c.status != DELETED and (not top_level_only or not c.parent_id),
        )


def _container(store: Store, request: Request, user: str) -> Response:
    if request.arg("media_type", "TEXT") != "TEXT" or not request.arg("text"):
        return graph.error(400, "(#100) A TEXT container needs text", 100)
    reply_to = request.arg("reply_to_id")
    with store.lock:
        if (
            reply_to
            and store.comment(PLATFORM, reply_to) is None
            and not store.post(PLATFORM, reply_to)
        ):
            return graph.not_found(reply_to)
        creation_id = str(store.next_number() + 90_000_000)
        store.containers[creation_id] = {
            "user": user,
            "text": request.arg("text"),
            "reply_to_id": reply_to,
            "published": "",
        }
        return ok({"id": creation_id})


def _publish(store: Store, request: Request, user: str) -> Response:
    creation_id = request.arg("creation_id")
    with store.lock:
        container = store.containers.get(creation_id)
        if container is None or container["user"] != user:
            return graph.not_found(creation_id)
        if container["published"]:  # publishing twice does not post twice
            return ok({"id": container["published"]})
        account = store.account(PLATFORM, user)
        target = container["reply_to_id"]
        comment = store.comment(PLATFORM, target)
        post_id = comment.post_id if comment else target
        parent = comment.id if comment else ""
        created = store.add_comment(
            PLATFORM, account.id, post_id, container["text"], account.author, parent_id=parent
        )
        container["published"] = created.id
        store.record(PLATFORM, "reply", target, message=container["text"], id=created.id)
        return ok({"id": created.id})


def _manage(store: Store, request: Request, reply_id: str) -> Response:
    hide = request.arg("hide")
    with store.lock:
        comment = store.comment(PLATFORM, reply_id)
        if comment is None or comment.status == DELETED:
            return graph.not_found(reply_id)
        if comment.parent_id:
            return graph.error(400, "(#100) Only top-level replies can be hidden", 100)
        if hide not in ("true", "false"):
            return graph.error(400, "(#100) The parameter hide is required", 100)
        store.set_status(comment, HIDDEN if hide == "true" else VISIBLE)
        store.record(PLATFORM, "hide" if hide == "true" else "unhide", reply_id)
        return ok({"success": True})


def _delete(store: Store, request: Request, media_id: str) -> Response:
    with store.lock:
        comment = store.comment(PLATFORM, media_id)
        if comment is None or comment.status == DELETED:
            return graph.not_found(media_id)
        if comment.author.id != store.account(PLATFORM, comment.account_id).author.id:
            return graph.error(
                400, "(#10) Application does not have permission for this action", 10
            )
        store.set_status(comment, DELETED)
        store.record(PLATFORM, "delete", media_id)
        return ok({"success": True, "deleted_id": media_id})


OPEN_ROUTES: list[Rule] = []
ROUTES = [
    route("/<_version>/<user>/threads", _threads),
    route("/<_version>/<user>/threads_publish", _publish_for, ["POST"]),
    route("/<_version>/<media_id>/conversation", _whole_conversation, ["GET"]),
    route("/<_version>/<media_id>/replies", _replies, ["GET"]),
    route("/<_version>/<reply_id>/manage_reply", _manage, ["POST"]),
    route("/<_version>/<media_id>", _delete, ["DELETE"]),
]
