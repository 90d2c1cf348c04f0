"""Emulated Bluesky XRPC: sessions, notifications, getPosts and repo records.

Paths: `/bluesky/xrpc/<nsid>` for `com.atproto.server.createSession|refreshSession`,
`app.bsky.notification.listNotifications`, `app.bsky.feed.getPosts`,
`com.atproto.repo.getRecord|putRecord|createRecord|deleteRecord|listRecords`,
`app.bsky.graph.muteActor` and `com.atproto.moderation.createReport`; OAuth (identity,
metadata, PAR, tokens, DPoP-bound calls) in `bluesky_oauth.py`. A threadgate's
`hiddenReplies` list decides which replies are hidden, a postgate's `detachedEmbeddingUris`
which quotes are detached, block records who is blocked.

Logins are limited as on bsky.social: `createSession` answers 429 `RateLimitExceeded` past
`LOGINS_PER_5_MINUTES` in five minutes or `LOGINS_PER_DAY` in a day for one identifier, with
`RateLimit-*` headers saying when the window ends. `refreshSession` takes the refresh JWT as the
bearer, answers a new pair and spends the old refresh JWT. Session lifetimes follow
`Emulator.set_token_lifetime("bluesky", …)`.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Any

from werkzeug.routing import Rule

import moderation.emulator.bluesky_oauth as bluesky_oauth
from moderation.emulator.http import Endpoint, Request, Response, ok, route
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

PLATFORM = "bluesky"
THREADGATE = "app.bsky.feed.threadgate"
BLOCK = "app.bsky.graph.block"
POST = "app.bsky.feed.post"
POSTGATE = "app.bsky.feed.postgate"
PASSWORD = "app-password"  # the emulator's one valid app password
LOGINS_PER_5_MINUTES = 30
LOGINS_PER_DAY = 100


def error(status: int, name: str, message: str) -> Response:
    return Response(status, {"error": name, "message": message})


def fault(kind: str, retry_after: float) -> Response:
    if kind == "expired_token":
        return error(400, "ExpiredToken", "Token has expired")
    if kind in ("429", "rate_limit"):
        response = error(429, "RateLimitExceeded", "Rate Limit Exceeded")
        wait = retry_after if kind == "429" else 300
        response.headers.update(
            {
                "RateLimit-Limit": "3000",
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(int(time.time() + wait)),
                "RateLimit-Policy": "3000;w=300",
                "Retry-After": f"{wait:g}",
            }
        )
        return response
    return error(500, "InternalServerError", "Internal Server Error")


def guard(store: Store, request: Request) -> Response | None:
    _count(store, request)
    if request.header("Authorization").lower().startswith("dpop "):
        return bluesky_oauth.resource_guard(store, request)  # an OAuth session's token
    if not request.bearer():
        return error(401, "AuthenticationRequired", "Authentication Required")
    return None


def not_found(request: Request) -> Response:
    if len(request.segments) != 2 or request.segments[0] != "xrpc":
        return error(404, "MethodNotImplemented", f"No such path {request.path}")
    return error(501, "MethodNotImplemented", f"Method not implemented: {request.segments[1]}")


def _count(store: Store, request: Request) -> None:
    """Calls per NSID, so tests can tell how often a connector logged in."""
    if len(request.segments) == 2 and request.segments[0] == "xrpc":
        nsid = request.segments[1]
        with store.lock:
            store.xrpc_calls[nsid] = store.xrpc_calls.get(nsid, 0) + 1


def _login_refused(store: Store, identifier: str) -> Response | None:
    now = time.time()
    with store.lock:
        times = [t for t in store.logins.get(identifier, []) if now - t < 86_400]
        recent = [t for t in times if now - t < 300]
        if len(recent) >= LOGINS_PER_5_MINUTES:
            limit, window, reset = LOGINS_PER_5_MINUTES, 300, recent[0] + 300
        elif len(times) >= LOGINS_PER_DAY:
            limit, window, reset = LOGINS_PER_DAY, 86_400, times[0] + 86_400
        else:
            times.append(now)
            store.logins[identifier] = times
            return None
    response = error(429, "RateLimitExceeded", "Rate Limit Exceeded")
    response.headers.update(
        {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(int(reset)),
            "RateLimit-Policy": f"{limit};w={window}",
        }
    )
    return response


def _session(store: Store, identifier: str, did: str) -> dict[str, Any]:
    access, _ = store.issue_token(PLATFORM, "access", "jwt-" + secrets.token_urlsafe(16))
    refresh, _ = store.issue_token(PLATFORM, "refresh", "refresh-" + secrets.token_urlsafe(16))
    with store.lock:
        store.bluesky_sessions[refresh] = (identifier, did)
    handle = identifier if not identifier.startswith("did:") else "council.bsky.social"
    return {"accessJwt": access, "refreshJwt": refresh, "handle": handle, "did": did}


def _create_session(store: Store, request: Request) -> Response:
    _count(store, request)
    body = request.body if isinstance(request.body, dict) else {}
    identifier = body.get("identifier")
    if not isinstance(identifier, str) or not identifier:
        return error(400, "InvalidRequest", "identifier is required")
    refused = _login_refused(store, identifier)
    if refused is not None:
        return refused
    if body.get("password") != PASSWORD:
        return error(401, "AuthenticationRequired", "Invalid identifier or password")
    did = identifier if identifier.startswith("did:") else "did:plc:council"
    return ok(_session(store, identifier, did))


def _refresh_session(store: Store, request: Request) -> Response:
    _count(store, request)
    token = request.bearer()
    with store.lock:
        known = store.bluesky_sessions.pop(token, None) if token else None
    if known is None:
        return error(400, "ExpiredToken", "Token has been revoked")
    return ok(_session(store, *known))


def _mute(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    actor = body.get("actor")
    if not isinstance(actor, str) or not actor:
        return error(400, "InvalidRequest", "actor is required")
    store.record(PLATFORM, "mute", actor)
    return Response(200)


def _report(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    subject = body.get("subject") if isinstance(body.get("subject"), dict) else {}
    reason_type = body.get("reasonType")
    target = str(subject.get("uri") or subject.get("did") or "") if subject else ""
    if not isinstance(reason_type, str) or not target:
        return error(400, "InvalidRequest", "reasonType and subject are required")
    with store.lock:
        number = store.next_seq()
    store.record(
        PLATFORM, "report", target, reasonType=reason_type, reason=str(body.get("reason") or "")
    )
    return ok(
        {
            "id": number,
            "reasonType": reason_type,
            "reason": str(body.get("reason") or ""),
            "subject": subject,
            "reportedBy": _owner(store, request),
            "createdAt": _stamp(datetime.now(UTC)),
        }
    )


def _stamp(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def render_record(store: Store, comment: Comment) -> dict[str, Any]:
    record: dict[str, Any] = {
        "$type": POST,
        "text": comment.text,
        "createdAt": _stamp(comment.created_at),
    }
    post = store.post(PLATFORM, comment.post_id)
    root = {"uri": comment.post_id, "cid": post.cid if post else ""}
    if comment.quote:
        record["embed"] = {"$type": "app.bsky.embed.record", "record": root}
        return record
    parent_comment = store.comment(PLATFORM, comment.parent_id) if comment.parent_id else None
    parent = {"uri": parent_comment.id, "cid": parent_comment.cid} if parent_comment else root
    record["reply"] = {"root": root, "parent": parent}
    return record


def render_author(comment: Comment) -> dict[str, Any]:
    return {
        "did": comment.author.id,
        "handle": comment.author.handle,
        "displayName": comment.author.name,
    }


def render_notification(store: Store, comment: Comment) -> dict[str, Any]:
    item = {
        "uri": comment.id,
        "cid": comment.cid,
        "author": render_author(comment),
        "reason": "quote" if comment.quote else "reply",
        "reasonSubject": comment.parent_id or comment.post_id,
        "record": render_record(store, comment),
        "isRead": False,
        "indexedAt": _stamp(comment.created_at),
    }
    return apply_overrides(item, comment.overrides)


def _owner(store: Store, request: Request) -> str:
    signed_in = bluesky_oauth.owner_of(store, request)
    if signed_in:
        return signed_in
    owners = [a.id for (p, _), a in store.accounts.items() if p == PLATFORM]
    return owners[0] if owners else ""


def _notifications(store: Store, request: Request) -> Response:
    limit = request.int_arg("limit", 50)
    if limit is None or not 1 <= limit <= 100:
        return error(400, "InvalidRequest", "limit must be between 1 and 100")
    reasons = set(request.args("reasons"))
    if reasons and not reasons & {"reply", "mention", "quote"}:
        return ok({"notifications": []})
    token = request.arg("cursor")
    try:
        after = decode_key(token) if token else None
    except ValueError:
        return error(400, "InvalidRequest", "Malformed cursor")
    with store.lock:
        owner = _owner(store, request)
        chunk, more = page_of(
            store.comments_of_account(PLATFORM, owner),
            after,
            limit,
            newest_first=True,
            keep=lambda c: c.status != DELETED and c.author.id != owner,
        )
        body: dict[str, Any] = {"notifications": [render_notification(store, c) for c in chunk]}
    if chunk and more:
        body["cursor"] = encode_key(chunk[-1].key)
    return ok(body)


def _get_posts(store: Store, request: Request) -> Response:
    uris = request.args("uris")
    if not uris or len(uris) > 25:
        return error(400, "InvalidRequest", "uris must hold 1 to 25 items")
    posts: list[dict[str, Any]] = []
    with store.lock:
        for uri in uris:
            comment = store.comment(PLATFORM, uri)
            post = store.post(PLATFORM, uri)
            if comment is not None and comment.status != DELETED:
                posts.append(
                    {
                        "uri": comment.id,
                        "cid": comment.cid,
                        "author": render_author(comment),
                        "record": render_record(store, comment),
                        "indexedAt": _stamp(comment.created_at),
                    }
                )
            elif post is not None:
                account = store.account(PLATFORM, post.account_id)
                posts.append(
                    {
                        "uri": post.id,
                        "cid": post.cid,
                        "author": {"did": account.id, "handle": account.handle},
                        "record": {
                            "$type": POST,
                            "text": post.text,
                            "createdAt": _stamp(post.created_at),
                        },
                        "indexedAt": _stamp(post.created_at),
                    }
                )
    return ok({"posts": posts})


def _record_key(request: Request) -> tuple[str, str, str]:
    body = request.body if isinstance(request.body, dict) else {}
    return tuple(  # type: ignore[return-value]
        str(body.get(name) or request.arg(name)) for name in ("repo", "collection", "rkey")
    )


def _get_record(store: Store, request: Request) -> Response:
    key = _record_key(request)
    with store.lock:
        record = store.records.get(key)
    if record is None:
        return error(400, "RecordNotFound", f"Could not locate record: at://{'/'.join(key)}")
    return ok({"uri": f"at://{'/'.join(key)}", "cid": record["cid"], "value": record["value"]})


def _list_records(store: Store, request: Request) -> Response:
    repo, collection = request.arg("repo"), request.arg("collection")
    limit = request.int_arg("limit", 50) or 50
    offset = int(request.arg("cursor")) if request.arg("cursor").isdigit() else 0
    with store.lock:
        matching = [
            {"uri": f"at://{r}/{c}/{k}", "cid": v["cid"], "value": v["value"]}
            for (r, c, k), v in store.records.items()
            if r == repo and c == collection
        ]
    body: dict[str, Any] = {"records": matching[offset : offset + limit]}
    if offset + limit < len(matching):
        body["cursor"] = str(offset + limit)
    return ok(body)


def _new_cid() -> str:
    return "bafyrei" + secrets.token_hex(16)


def _put_record(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    repo, collection, rkey = _record_key(request)
    value = body.get("record")
    if not isinstance(value, dict) or not rkey:
        return error(400, "InvalidRequest", "record and rkey are required")
    with store.lock:
        current = store.records.get((repo, collection, rkey))
        swap = body.get("swapRecord")
        if swap is not None and (current is None or current["cid"] != swap):
            return error(400, "InvalidSwap", "Record was at a different CID")
        if collection == THREADGATE:
            problem = _apply_threadgate(store, repo, value, current)
            if problem:
                return problem
        if collection == POSTGATE:
            problem = _apply_postgate(store, repo, value, current)
            if problem:
                return problem
        cid = _new_cid()
        store.records[(repo, collection, rkey)] = {"cid": cid, "value": value}
    return ok({"uri": f"at://{repo}/{collection}/{rkey}", "cid": cid})


def _apply_threadgate(
    store: Store, repo: str, value: dict[str, Any], current: dict[str, Any] | None
) -> Response | None:
    hidden = value.get("hiddenReplies", [])
    if not isinstance(hidden, list) or len(hidden) > 300:
        return error(400, "InvalidRequest", "hiddenReplies must be a list of at most 300 URIs")
    post = store.post(PLATFORM, str(value.get("post", "")))
    if post is None or post.account_id != repo:
        return error(400, "InvalidRequest", "A threadgate must point at the repo's own post")
    before = set(current["value"].get("hiddenReplies", [])) if current else set()
    after = {uri for uri in hidden if isinstance(uri, str)}
    for uri in after - before:
        comment = store.comment(PLATFORM, uri)
        if comment is not None and comment.status != DELETED:
            store.set_status(comment, HIDDEN)
            store.record(PLATFORM, "hide", uri)
    for uri in before - after:
        comment = store.comment(PLATFORM, uri)
        if comment is not None and comment.status == HIDDEN:
            store.set_status(comment, VISIBLE)
            store.record(PLATFORM, "unhide", uri)
    return None


def _apply_postgate(
    store: Store, repo: str, value: dict[str, Any], current: dict[str, Any] | None
) -> Response | None:
    detached = value.get("detachedEmbeddingUris", [])
    if not isinstance(detached, list) or len(detached) > 50:
        return error(400, "InvalidRequest", "detachedEmbeddingUris: at most 50 URIs")
    post = store.post(PLATFORM, str(value.get("post", "")))
    if post is None or post.account_id != repo:
        return error(400, "InvalidRequest", "A postgate must point at the repo's own post")
    before = set(current["value"].get("detachedEmbeddingUris", [])) if current else set()
    for uri in {u for u in detached if isinstance(u, str)} - before:
        store.record(PLATFORM, "detach_quote", uri)
    return None


def _create_record(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}
    repo = str(body.get("repo", ""))
    collection = str(body.get("collection", ""))
    value = body.get("record")
    if not isinstance(value, dict):
        return error(400, "InvalidRequest", "record is required")
    with store.lock:
        if collection == POST:
            return _create_reply(store, repo, value)
        if collection == BLOCK:
            subject = value.get("subject")
            if not isinstance(subject, str) or not subject.startswith("did:"):
                return error(400, "InvalidRequest", "subject must be a DID")
            rkey = f"b{store.next_seq()}"
            cid = _new_cid()
            store.records[(repo, collection, rkey)] = {"cid": cid, "value": value}
            store.block(PLATFORM, repo, subject, rkey)
            store.record(PLATFORM, "block", subject)
            return ok({"uri": f"at://{repo}/{collection}/{rkey}", "cid": cid})
    return error(400, "InvalidRequest", f"Unsupported collection {collection}")


def _create_reply(store: Store, repo: str, value: dict[str, Any]) -> Response:
    text = value.get("text")
    reply = value.get("reply") if isinstance(value.get("reply"), dict) else {}
    parent_ref = reply.get("parent") if isinstance(reply, dict) else None
    root_ref = reply.get("root") if isinstance(reply, dict) else None
    if not isinstance(text, str) or not text or len(text) > 3000:
        return error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: text")
    if not isinstance(parent_ref, dict) or not isinstance(root_ref, dict):
        return error(400, "InvalidRequest", "Only replies are supported by the emulator")
    parent = store.comment(PLATFORM, str(parent_ref.get("uri")))
    root = store.post(PLATFORM, str(root_ref.get("uri")))
    if root is None or root_ref.get("cid") != root.cid:
        return error(400, "InvalidRequest", "reply.root does not match a known post")
    if parent is not None and parent_ref.get("cid") != parent.cid:
        return error(400, "InvalidRequest", "reply.parent cid does not match")
    account = store.account(PLATFORM, repo)
    created = store.add_comment(
        PLATFORM,
        root.account_id,
        root.id,
        text,
        account.author,
        parent_id=parent.id if parent else "",
    )
    store.record(PLATFORM, "reply", str(parent_ref.get("uri")), message=text, id=created.id)
    return ok({"uri": created.id, "cid": created.cid})


def _delete_record(store: Store, request: Request) -> Response:
    key = _record_key(request)
    with store.lock:
        record = store.records.pop(key, None)
        if record is None:
            return ok({})
        if key[1] == BLOCK:
            subject = record["value"].get("subject", "")
            store.unblock(PLATFORM, key[0], subject)
            store.record(PLATFORM, "unblock", subject)
    return ok({})


def _xrpc(nsid: str, endpoint: Endpoint, method: str) -> Rule:
    return route(f"/xrpc/{nsid}", endpoint, [method])


OPEN_ROUTES = [
    *bluesky_oauth.ROUTES,
    _xrpc("com.atproto.server.createSession", _create_session, "POST"),
    _xrpc("com.atproto.server.refreshSession", _refresh_session, "POST"),
]
ROUTES = [
    _xrpc("app.bsky.notification.listNotifications", _notifications, "GET"),
    _xrpc("app.bsky.feed.getPosts", _get_posts, "GET"),
    _xrpc("com.atproto.repo.getRecord", _get_record, "GET"),
    _xrpc("com.atproto.repo.listRecords", _list_records, "GET"),
    _xrpc("com.atproto.repo.putRecord", _put_record, "POST"),
    _xrpc("com.atproto.repo.createRecord", _create_record, "POST"),
    _xrpc("com.atproto.repo.deleteRecord", _delete_record, "POST"),
    _xrpc("app.bsky.graph.muteActor", _mute, "POST"),
    _xrpc("com.atproto.moderation.createReport", _report, "POST"),
]
