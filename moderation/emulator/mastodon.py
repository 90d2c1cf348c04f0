"""Emulated Mastodon API: mention notifications (Link-header paging), statuses, blocks.

Paths: `/mastodon/api/v1/notifications`, `/api/v1/statuses` (POST, honours `Idempotency-Key`),
`/api/v1/statuses/:id` (DELETE, own only), `/api/v1/accounts/:id/block|unblock|mute`.
"""

from __future__ import annotations

import bisect
import html
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.routing import Rule

from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import DELETED, Comment, Post, Store, apply_overrides, now_utc

PLATFORM = "mastodon"
INSTANCE = "https://council.example"
VISIBILITIES = ("public", "unlisted", "private", "direct")


def error(status: int, message: str) -> Response:
    return Response(status, {"error": message})


def _limits(remaining: int = 299, reset_in: float = 300) -> dict[str, str]:
    reset = datetime.now(UTC) + timedelta(seconds=reset_in)
    return {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": reset.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        return error(401, "The access token is invalid")
    if kind in ("429", "rate_limit"):
        response = error(429, "Too many requests")
        response.headers.update(_limits(0, retry_after if kind == "429" else 300))
        return response
    return error(500, "We're sorry, but something went wrong on our end.")


def guard(store: Store, request: Request) -> Response | None:
    return None if request.bearer() else error(401, "The access token is invalid")


def not_found(request: Request) -> Response:
    return error(404, "Record not found")


def _status(store: Store, request: Request, status_id: str) -> Response:
    with store.lock:
        found = store.comment(PLATFORM, status_id)
        if found is None or found.status == DELETED:
            post = store.post(PLATFORM, status_id)
            if post is None:
                return error(404, "Record not found")
            return ok(render_own_post(store, post), headers=_limits())
        return ok(render_status(store, found), headers=_limits())


def render_account(author_id: str, acct: str, name: str) -> dict[str, Any]:
    """An Account entity with every field the documentation marks required."""
    username = acct.split("@", 1)[0]
    avatar = f"{INSTANCE}/avatars/original/missing.png"
    return {
        "id": author_id,
        "username": username,
        "acct": acct,
        "display_name": name,
        "url": f"{INSTANCE}/@{acct}",
        "uri": f"{INSTANCE}/users/{username}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": f"{INSTANCE}/headers/original/missing.png",
        "header_static": f"{INSTANCE}/headers/original/missing.png",
        "note": "",
        "bot": False,
        "group": False,
        "locked": False,
        "indexable": False,
        "emojis": [],
        "fields": [],
        "created_at": "2024-01-01T00:00:00.000Z",
        "followers_count": 0,
        "following_count": 0,
        "statuses_count": 1,
    }


def render_status(store: Store, comment: Comment) -> dict[str, Any]:
    account = store.account(PLATFORM, comment.account_id)
    post = store.post(PLATFORM, comment.post_id)
    replied_to = comment.parent_id or (post.id if post else None)
    return {
        "id": comment.id,
        "created_at": comment.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "in_reply_to_id": replied_to,
        "in_reply_to_account_id": account.id,
        "content": "<p>" + html.escape(comment.text).replace("\n", "<br />") + "</p>",
        "spoiler_text": "",
        "sensitive": False,
        "emojis": [],
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "favourites_count": 0,
        "reblogs_count": 0,
        "replies_count": len(store.replies_of(PLATFORM, comment.id)),
        "visibility": comment.overrides.get("status.visibility", "public"),
        "url": f"{INSTANCE}/@{comment.author.handle}/{comment.id}",
        "uri": f"{INSTANCE}/users/{comment.author.handle}/statuses/{comment.id}",
        "account": render_account(comment.author.id, comment.author.handle, comment.author.name),
    }


def render_own_post(store: Store, post: Post) -> dict[str, Any]:
    """The council's own status (the post that replies answer): public."""
    account = store.account(PLATFORM, post.account_id)
    author = account.author
    return {
        "id": post.id,
        "created_at": post.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "content": "<p>" + html.escape(post.text) + "</p>",
        "visibility": "public",
        "url": f"{INSTANCE}/@{author.handle}/{post.id}",
        "uri": f"{INSTANCE}/users/{author.handle}/statuses/{post.id}",
        "account": render_account(author.id, author.handle, author.name),
    }


def render_notification(store: Store, comment: Comment) -> dict[str, Any]:
    item = {
        "id": comment.notification_id,
        "type": "mention",
        "group_key": f"ungrouped-{comment.notification_id}",
        "created_at": comment.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "account": render_account(comment.author.id, comment.author.handle, comment.author.name),
        "status": render_status(store, comment),
    }
    return apply_overrides(item, comment.overrides)


def _id_param(request: Request, name: str) -> int | None:
    value = request.arg(name)
    return int(value) if value.isdigit() else None


def _notifications(store: Store, request: Request) -> Response:
    limit = request.int_arg("limit", 40)
    limit = 40 if limit is None or limit < 1 else min(limit, 80)
    types = request.args("types[]") or request.args("types")
    if types and "mention" not in types:
        return ok([], headers=_limits())
    max_id = _id_param(request, "max_id")
    since_id = _id_param(request, "since_id")
    min_id = _id_param(request, "min_id")
    with store.lock:
        owner_ids = {a.id for (p, _), a in store.accounts.items() if p == PLATFORM}
        chunk: list[Comment] = []
        for owner in owner_ids:
            chunk.extend(
                _mentions(
                    store.comments_of_account(PLATFORM, owner),
                    owner_ids,
                    limit,
                    max_id,
                    since_id,
                    min_id,
                )
            )
        chunk.sort(key=lambda c: int(c.notification_id), reverse=True)
        chunk = chunk[-limit:] if min_id is not None else chunk[:limit]
        body = [render_notification(store, c) for c in chunk]
    headers = _limits()
    if chunk:
        base = f"{request.base}/api/v1/notifications"
        links = [
            f'<{base}?max_id={chunk[-1].notification_id}&limit={limit}>; rel="next"',
            f'<{base}?min_id={chunk[0].notification_id}&limit={limit}>; rel="prev"',
        ]
        headers["Link"] = ", ".join(links)
    return ok(body, headers=headers)


def _mentions(
    comments: list[Comment],
    owners: set[str],
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[Comment]:
    """One account's mention notifications in id order, found by bisecting, not scanning.

    Notification ids grow with the comments' times, so the list (sorted by time) is also in
    id order.
    """

    def number(comment: Comment) -> int:
        return int(comment.notification_id)

    def wanted(comment: Comment) -> bool:
        return comment.status != DELETED and comment.author.id not in owners

    low = max(since_id or 0, min_id or 0)
    start = bisect.bisect_right(comments, low, key=number) if low else 0
    end = bisect.bisect_left(comments, max_id, key=number) if max_id is not None else len(comments)
    found: list[Comment] = []
    # min_id pages forward (the page just newer than min_id); otherwise newest first.
    indexes = range(start, end) if min_id is not None else range(end - 1, start - 1, -1)
    for index in indexes:
        if wanted(comments[index]):
            found.append(comments[index])
            if len(found) == limit:
                break
    return found


def _post(store: Store, request: Request) -> Response:
    text = request.arg("status")
    target = request.arg("in_reply_to_id")
    key = request.header("Idempotency-Key")
    visibility = request.arg("visibility") or "public"
    if not text:
        return error(422, "Validation failed: Text can't be blank")
    if visibility not in VISIBILITIES:
        return error(422, "Validation failed: Visibility is not included in the list")
    with store.lock:
        if key and key in store.idempotency:
            existing = store.comment(PLATFORM, store.idempotency[key])
            if existing is not None:
                return ok(render_status(store, existing))
        parent = store.comment(PLATFORM, target) if target else None
        post = store.post(PLATFORM, target) if target else None
        if parent is None and post is None:
            return error(404, "Record not found")
        account_id = parent.account_id if parent else post.account_id if post else ""
        account = store.account(PLATFORM, account_id)
        post_id = parent.post_id if parent else post.id if post else ""
        created = store.add_comment(
            PLATFORM,
            account.id,
            post_id,
            text,
            account.author,
            parent_id=parent.id if parent else "",
            overrides={"status.visibility": visibility},
        )
        if key:
            store.idempotency[key] = created.id
        store.record(PLATFORM, "reply", target, message=text, id=created.id, visibility=visibility)
        return ok(render_status(store, created))


def _report(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    account_id = str(body.get("account_id") or request.arg("account_id"))
    statuses = body.get("status_ids") or request.args("status_ids[]")
    category = str(body.get("category") or "other")
    if not account_id or category not in ("spam", "legal", "violation", "other"):
        return error(422, "Validation failed: account_id and a known category are required")
    with store.lock:
        number = store.next_seq()
        store.record(
            PLATFORM,
            "report",
            account_id,
            status_ids=list(statuses or []),
            comment=str(body.get("comment") or ""),
            forward=body.get("forward") is True,
            category=category,
        )
    return ok(
        {
            "id": str(number),
            "action_taken": False,
            "category": category,
            "comment": str(body.get("comment") or ""),
            "forwarded": body.get("forward") is True,
            "created_at": now_utc().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "status_ids": list(statuses or []),
            "rule_ids": None,
            "target_account": render_account(account_id, f"user{account_id}", ""),
        },
        headers=_limits(),
    )


def _delete(store: Store, request: Request, status_id: str) -> Response:
    with store.lock:
        comment = store.comment(PLATFORM, status_id)
        if comment is None or comment.status == DELETED or comment.author.id != comment.account_id:
            return error(404, "Record not found")
        store.set_status(comment, DELETED)
        store.record(PLATFORM, "delete", status_id)
        return ok(render_status(store, comment))


def _relationship(store: Store, request: Request, account_id: str, verb: str) -> Response:
    if verb not in ("block", "unblock", "mute", "unmute"):
        return error(404, "Record not found")
    with store.lock:
        owners = [a.id for (p, _), a in store.accounts.items() if p == PLATFORM]
        owner = owners[0] if owners else ""
        if verb == "block":
            store.block(PLATFORM, owner, account_id)
        elif verb == "unblock":
            store.unblock(PLATFORM, owner, account_id)
        store.record(PLATFORM, verb, account_id)
        blocking = account_id in store.blocked(PLATFORM, owner)
    return ok(
        {
            "id": account_id,
            "following": False,
            "showing_reblogs": False,
            "notifying": False,
            "followed_by": False,
            "blocking": blocking,
            "blocked_by": False,
            "muting": verb == "mute",
            "muting_notifications": verb == "mute",
            "requested": False,
            "requested_by": False,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        },
        headers=_limits(),
    )


OPEN_ROUTES: list[Rule] = []
ROUTES = [
    route("/api/v1/notifications", _notifications, ["GET"]),
    route("/api/v1/statuses", _post, ["POST"]),
    route("/api/v1/reports", _report, ["POST"]),
    route("/api/v1/statuses/<status_id>", _status, ["GET"]),
    route("/api/v1/statuses/<status_id>", _delete, ["DELETE"]),
    route("/api/v1/accounts/<account_id>/<verb>", _relationship, ["POST"]),
]
