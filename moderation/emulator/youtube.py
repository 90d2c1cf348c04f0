"""Emulated YouTube Data API v3: comment threads, replies, setModerationStatus, insert, delete.

Paths: `/youtube/youtube/v3/commentThreads`, `/comments` (GET, POST, DELETE),
`/comments/setModerationStatus`. Statuses: published = visible, heldForReview = held,
rejected = rejected; `banAuthor=true` also records a ban.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule

import moderation.emulator.oauth as oauth
from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import (
    DELETED,
    HELD,
    REJECTED,
    SPAM,
    VISIBLE,
    Comment,
    Store,
    apply_overrides,
    decode_key,
    encode_key,
    page_of,
)

PLATFORM = "youtube"
EMBEDDED_REPLIES = 5
STATUS_BY_NAME = {
    "published": VISIBLE,
    "heldForReview": HELD,
    "likelySpam": SPAM,
    "rejected": REJECTED,
}


def error(
    status: int, reason: str, message: str, *, domain: str = "youtube.commentThread"
) -> Response:
    return Response(
        status,
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
            }
        },
    )


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        response = error(
            401,
            "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, "
            "login cookie or other valid authentication credential.",
            domain="global",
        )
        response.body["error"]["status"] = "UNAUTHENTICATED"
        return response
    if kind == "rate_limit":
        return error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
            domain="youtube.quota",
        )
    if kind == "429":
        response = error(429, "rateLimitExceeded", "Too many requests.", domain="usageLimits")
        response.headers["Retry-After"] = f"{retry_after:g}"
        return response
    return error(500, "backendError", "Backend Error", domain="global")


def guard(store: Store, request: Request) -> Response | None:
    if request.bearer():
        return None
    return error(
        401, "required", "Request is missing required authentication credential.", domain="global"
    )


def not_found(request: Request) -> Response:
    return error(
        404, "notFound", f"No such method: {request.method} {request.path}", domain="global"
    )


def _refresh(store: Store, request: Request) -> Response:
    """Google's token endpoint (oauth2.googleapis.com/token)."""
    return oauth.refresh(store, request, rotate=False, lifetime_seconds=3599)


def render(store: Store, comment: Comment) -> dict[str, Any]:
    post = store.post(PLATFORM, comment.post_id)
    account = store.account(PLATFORM, comment.account_id)
    snippet: dict[str, Any] = {
        "channelId": account.id,
        "videoId": post.id if post else comment.post_id,
        "textDisplay": comment.text,
        "textOriginal": comment.text,
        "authorDisplayName": comment.author.handle or comment.author.name,
        "authorProfileImageUrl": "https://yt3.ggpht.com/x",
        "authorChannelUrl": f"http://www.youtube.com/{comment.author.handle}",
        "authorChannelId": {"value": comment.author.id},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 0,
        "moderationStatus": {VISIBLE: "published", HELD: "heldForReview", SPAM: "likelySpam"}.get(
            comment.status, "rejected"
        ),
        "publishedAt": comment.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updatedAt": comment.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if comment.parent_id:
        snippet["parentId"] = comment.parent_id
    item = {
        "kind": "youtube#comment",
        "etag": f"e{comment.seq}",
        "id": comment.id,
        "snippet": snippet,
    }
    return apply_overrides(item, comment.overrides)


def _max_results(request: Request, default: int = 20) -> int | None:
    value = request.int_arg("maxResults", default)
    return value if value is not None and 1 <= value <= 100 else None


def _page(
    request: Request, items: list[Comment], keep: Any, *, newest_first: bool
) -> tuple[list[Comment], str] | Response:
    limit = _max_results(request)
    if limit is None:
        return error(400, "invalidParameter", "maxResults must be between 1 and 100")
    token = request.arg("pageToken")
    try:
        after = decode_key(token) if token else None
    except ValueError:
        return error(400, "invalidPageToken", "The request specifies an invalid page token.")
    chunk, more = page_of(items, after, limit, newest_first=newest_first, keep=keep)
    return chunk, encode_key(chunk[-1].key) if more and chunk else ""


def _threads(store: Store, request: Request) -> Response:
    status = STATUS_BY_NAME.get(request.arg("moderationStatus", "published"))
    if status is None:
        return error(400, "invalidParameter", "Invalid moderationStatus")
    channel = request.arg("allThreadsRelatedToChannelId")
    video = request.arg("videoId")
    with store.lock:
        if video:
            if store.post(PLATFORM, video) is None:
                return error(404, "videoNotFound", "The video identified by videoId not found.")
            items = store.comments_of_post(PLATFORM, video)
        elif channel:
            items = store.comments_of_account(PLATFORM, channel)
        else:
            return error(400, "missingRequiredParameter", "A filter parameter is required.")
        result = _page(
            request,
            items,
            lambda c: not c.parent_id and c.status == status,
            newest_first=request.arg("order", "time") in ("time", "relevance"),
        )
        if isinstance(result, Response):
            return result
        chunk, next_token = result
        with_replies = "replies" in request.arg("part")
        threads = [_thread(store, comment, with_replies) for comment in chunk]
    body: dict[str, Any] = {
        "kind": "youtube#commentThreadListResponse",
        "etag": "e1",
        "pageInfo": {"totalResults": len(threads), "resultsPerPage": len(threads)},
        "items": threads,
    }
    if next_token:
        body["nextPageToken"] = next_token
    return ok(body)


def _thread(store: Store, comment: Comment, with_replies: bool) -> dict[str, Any]:
    replies = [c for c in store.replies_of(PLATFORM, comment.id) if c.status == VISIBLE]
    thread: dict[str, Any] = {
        "kind": "youtube#commentThread",
        "etag": f"t{comment.seq}",
        "id": comment.id,
        "snippet": {
            "channelId": comment.account_id,
            "videoId": comment.post_id,
            "canReply": True,
            "totalReplyCount": len(replies),
            "isPublic": True,
            "topLevelComment": render(store, comment),
        },
    }
    if with_replies and replies:
        thread["replies"] = {"comments": [render(store, c) for c in replies[-EMBEDDED_REPLIES:]]}
    return thread


def _replies(store: Store, request: Request) -> Response:
    parent_id = request.arg("parentId")
    ids = [i for i in request.arg("id").split(",") if i]
    with store.lock:
        if ids:
            found = [store.comment(PLATFORM, i) for i in ids]
            items = [render(store, c) for c in found if c and c.status != DELETED]
            for item in items:
                item["snippet"].pop("moderationStatus", None)  # absent when listing by id
            return ok({"kind": "youtube#commentListResponse", "items": items})
        parent = store.comment(PLATFORM, parent_id)
        if parent is None:
            return error(
                404,
                "commentNotFound",
                "The comment identified by parentId not found.",
                domain="youtube.comment",
            )
        result = _page(
            request,
            store.replies_of(PLATFORM, parent_id),
            lambda c: c.status == VISIBLE,
            newest_first=False,
        )
        if isinstance(result, Response):
            return result
        chunk, next_token = result
        body: dict[str, Any] = {
            "kind": "youtube#commentListResponse",
            "items": [render(store, c) for c in chunk],
        }
    if next_token:
        body["nextPageToken"] = next_token
    return ok(body)


def _set_status(store: Store, request: Request) -> Response:
    ids = [i for i in request.arg("id").split(",") if i]
    name = request.arg("moderationStatus")
    ban = request.arg("banAuthor") == "true"
    status = STATUS_BY_NAME.get(name)
    if not ids or len(ids) > 50 or status is None:
        return error(
            400,
            "invalidParameter",
            "id (1-50) and moderationStatus are required",
            domain="youtube.comment",
        )
    if ban and status != REJECTED:
        return error(
            400,
            "banWithoutReject",
            "banAuthor can only be used with rejected.",
            domain="youtube.comment",
        )
    with store.lock:
        comments = [store.comment(PLATFORM, i) for i in ids]
        if any(c is None or c.status == DELETED for c in comments):
            return error(
                404, "commentNotFound", "The comment could not be found.", domain="youtube.comment"
            )
        for comment in comments:
            assert comment is not None
            if comment.status == REJECTED and status != REJECTED:
                return error(
                    400,
                    "operationNotSupported",
                    "A rejected comment cannot be published or held again.",
                    domain="youtube.comment",
                )
        for comment in comments:
            assert comment is not None
            store.set_status(comment, status)
            action = {VISIBLE: "unhide", HELD: "hide", SPAM: "hide", REJECTED: "reject"}[status]
            if ban:
                action = "ban"
                store.block(PLATFORM, comment.account_id, comment.author.id)
            store.record(PLATFORM, action, comment.id, moderationStatus=name, banAuthor=ban)
    return Response(204)


def _insert(store: Store, request: Request) -> Response:
    snippet = request.body.get("snippet") if isinstance(request.body, dict) else None
    parent_id = snippet.get("parentId") if isinstance(snippet, dict) else None
    text = snippet.get("textOriginal") if isinstance(snippet, dict) else None
    if not isinstance(parent_id, str) or not isinstance(text, str) or not text:
        return error(
            400,
            "invalidCommentMetadata",
            "snippet.parentId and textOriginal needed",
            domain="youtube.comment",
        )
    if len(text) > 10_000:
        return error(
            400, "commentTextTooLong", "The comment text is too long.", domain="youtube.comment"
        )
    with store.lock:
        parent = store.comment(PLATFORM, parent_id)
        if parent is None or parent.status == DELETED:
            return error(
                404,
                "parentCommentNotFound",
                "The parent comment was not found.",
                domain="youtube.comment",
            )
        if parent.parent_id:
            return error(
                400,
                "operationNotSupported",
                "Replies can only answer a thread.",
                domain="youtube.comment",
            )
        account = store.account(PLATFORM, parent.account_id)
        created = store.add_comment(
            PLATFORM, account.id, parent.post_id, text, account.author, parent_id=parent.id
        )
        store.record(PLATFORM, "reply", parent_id, message=text, id=created.id)
        return ok(render(store, created))


def _insert_thread(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    snippet = body.get("snippet") if isinstance(body.get("snippet"), dict) else {}
    video_id = snippet.get("videoId") if isinstance(snippet, dict) else None
    top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
    top_snippet = top.get("snippet") if isinstance(top, dict) else None
    text = top_snippet.get("textOriginal") if isinstance(top_snippet, dict) else None
    if not isinstance(video_id, str) or not isinstance(text, str) or not text:
        return error(
            400,
            "invalidCommentThreadMetadata",
            "snippet.videoId and topLevelComment.snippet.textOriginal needed",
            domain="youtube.commentThread",
        )
    with store.lock:
        video = store.post(PLATFORM, video_id)
        if video is None:
            return error(404, "videoNotFound", "The video was not found.", domain="youtube.video")
        account = store.account(PLATFORM, video.account_id)
        created = store.add_comment(PLATFORM, account.id, video.id, text, account.author)
        store.record(PLATFORM, "reply", video_id, message=text, id=created.id)
        return ok(
            {
                "kind": "youtube#commentThread",
                "id": created.id,
                "snippet": {"videoId": video.id, "topLevelComment": render(store, created)},
            }
        )


def _delete(store: Store, request: Request) -> Response:
    comment_id = request.arg("id")
    with store.lock:
        comment = store.comment(PLATFORM, comment_id)
        if comment is None or comment.status == DELETED:
            return error(
                404, "commentNotFound", "The comment could not be found.", domain="youtube.comment"
            )
        if comment.author.id != comment.account_id:
            return error(
                403,
                "forbidden",
                "The comment could not be deleted: only its author can delete it.",
                domain="youtube.comment",
            )
        store.set_status(comment, DELETED)
        store.record(PLATFORM, "delete", comment_id)
    return Response(204)


OPEN_ROUTES = [route("/token", _refresh)]
ROUTES: list[Rule] = [
    route("/youtube/v3/commentThreads", _threads, ["GET"]),
    route("/youtube/v3/commentThreads", _insert_thread, ["POST"]),
    route("/youtube/v3/comments", _replies, ["GET"]),
    route("/youtube/v3/comments", _insert, ["POST"]),
    route("/youtube/v3/comments", _delete, ["DELETE"]),
    route("/youtube/v3/comments/setModerationStatus", _set_status, ["POST"]),
]
