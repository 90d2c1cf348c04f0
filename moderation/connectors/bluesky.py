"""Bluesky (AT Protocol): replies to, mentions and quotes of the council's account.

Credentials: either `access_token` (an `accessJwt`), or `identifier` and `password` (an app
password), with which the connector opens a session itself (`com.atproto.server.createSession`)
and opens a new one when the token expires. `account_id` is the account's DID. `base_url`
defaults to `https://bsky.social` (the PDS entryway, which proxies `app.bsky.*` to the AppView).

Listing: a stream sweep over `app.bsky.notification.listNotifications` (`reasons` reply, mention,
quote; `limit` ≤ 100; `cursor`), newest first by `indexedAt`, which is the stream's order and
watermark (a post's own `createdAt` is set by the writer's client and can be anything). The
comment id is the post's `at://` URI; the thread is `record.reply.root`. Permalinks are the
`bsky.app/profile/{handle}/post/{rkey}` convention.

Actions:
- hide/unhide: edit the root post's `app.bsky.feed.threadgate` record (rkey = the root's rkey)
  and its `hiddenReplies` list (≤ 300) with `getRecord` + `putRecord` (`swapRecord` guards
  against a concurrent edit). Only the thread's author can do this, so only replies in threads
  the council started can be hidden. Existing `allow` rules are kept.
- reply: `createRecord` of an `app.bsky.feed.post` with `reply.root`/`reply.parent` (their CIDs
  come from `app.bsky.feed.getPosts`).
- block: `createRecord` of an `app.bsky.graph.block` (public); unblock deletes the council's
  block records for that DID (found with `listRecords`).
- delete: only in one's own repository, so not offered.
Bluesky has no webhooks (only the firehose / Jetstream over WebSocket): polled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from moderation.connectors.base import (
    ActionResult,
    ActionTarget,
    BaseConnector,
    Capabilities,
    FetchedAuthor,
    FetchedComment,
    FetchedPost,
    Page,
    PermanentError,
    Quarantined,
    TransientError,
    quarantine,
)
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    dig,
    iso,
    limit_text,
    mapping_at,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
    written_time,
)
from moderation.connectors.sweep import StreamBatch, StreamItem, sweep_stream

DEFAULT_BASE_URL = "https://bsky.social"
POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
BLOCK = "app.bsky.graph.block"
MAX_HIDDEN_REPLIES = 300
MAX_RECORD_PAGES = 20
TRANSIENT_ERRORS = frozenset({"RateLimitExceeded", "UpstreamFailure", "UpstreamTimeout"})

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    delete=False,
    reply=True,
    block=True,
    unblock=True,
    webhooks=False,
    notes={
        "hide": "Hides the reply in threads the council started (people can still reveal it "
        "behind 'hidden replies'). Replies in other people's threads cannot be hidden.",
        "unhide": "Shows a hidden reply again.",
        "delete": "Bluesky only lets an account delete its own posts: hide the reply, or "
        "report it to Bluesky moderation.",
        "reply": "Replies as the account, in the same thread.",
        "block": "Blocks the account (blocks are public on Bluesky): neither side sees the "
        "other's posts.",
        "unblock": "Removes the council's block on the account.",
        "webhooks": "Bluesky has no webhooks; the account is polled.",
    },
)


class BlueskyConnector(BaseConnector):
    platform = "bluesky"
    label = "Bluesky"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 100

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._session_token = ""

    # --- auth ----------------------------------------------------------------------------

    def _can_log_in(self) -> bool:
        credentials = self.config.credentials
        return bool(credentials.get("identifier") and credentials.get("password"))

    def access_token(self) -> str:
        if self._session_token:
            return self._session_token
        if self.config.credentials.get("access_token"):
            return self.config.credentials["access_token"]
        if self._can_log_in():
            self._log_in()
            return self._session_token
        raise PermanentError(
            "Bluesky: this channel has neither an access token nor an app password",
            code="no_token",
        )

    def _log_in(self) -> None:
        response = self.http.request(
            "POST",
            f"{self.base_url}/xrpc/com.atproto.server.createSession",
            json={
                "identifier": self.config.credentials["identifier"],
                "password": self.config.credentials["password"],
            },
            error_parser=self.error_parser,
        )
        body = response.json()
        token = dig(body, "accessJwt")
        if not isinstance(token, str) or not token:
            raise PermanentError("Bluesky: signing in returned no access token")
        self._session_token = token

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        try:
            return super().call(method, path, **kwargs)
        except PermanentError as error:
            if error.code != "ExpiredToken" or not self._can_log_in():
                raise
        self._session_token = ""
        self._log_in()
        return super().call(method, path, **kwargs)

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        if response.ok:
            return None
        body = response.json_or_none()
        name = clean_text(str(body.get("error") or "")) if isinstance(body, dict) else ""
        message = clean_text(str(body.get("message") or "")) if isinstance(body, dict) else ""
        text = ": ".join(part for part in (name, message) if part) or f"HTTP {response.status}"
        return PlatformError(
            f"Bluesky: {text[:500]}", code=name, transient=name in TRANSIENT_ERRORS
        )

    def xrpc(self, method: str, nsid: str, **kwargs: Any) -> dict[str, Any]:
        return self.call_json(method, f"/xrpc/{nsid}", **kwargs)

    # --- listing (StreamSource) ----------------------------------------------------------

    def fetch_comments(self, cursor: str | None) -> Page:
        return sweep_stream(
            self,
            cursor,
            kind="bluesky-notifications",
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
        )

    def list_stream(
        self, token: str | None, since_key: str | None, since_time: datetime | None
    ) -> StreamBatch:
        params: dict[str, Any] = {
            "reasons": ["reply", "mention", "quote"],
            "limit": self.page_size,
        }
        if token:
            params["cursor"] = token
        body = self.xrpc("GET", "app.bsky.notification.listNotifications", params=params)
        notifications = body.get("notifications")
        notifications = notifications if isinstance(notifications, list) else []
        items: list[StreamItem] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        for notification in notifications:
            if dig(notification, "reason") not in ("reply", "mention", "quote"):
                continue
            try:
                comment, indexed = _comment(notification, problems)
            except ValueError as error:
                quarantined.append(quarantine("Bluesky post", notification, error))
                continue
            items.append(StreamItem(iso(indexed), comment.platform_id, indexed, [comment]))
        cursor = body.get("cursor")
        has_more = bool(notifications) and isinstance(cursor, str) and bool(cursor)
        return StreamBatch(items, cursor if has_more else None, problems, quarantined)

    # --- actions -------------------------------------------------------------------------

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=True)

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=False)

    def _set_hidden(self, target: ActionTarget, *, hidden: bool) -> ActionResult:
        root = target.post_platform_id or target.comment_platform_id
        repo, collection, rkey = _split_at_uri(root)
        if repo != self.config.account_id or collection != POST:
            raise PermanentError(
                "Bluesky only lets the author of a thread hide its replies, and this thread "
                "was not started by the council",
                code="not_thread_author",
            )
        for _ in range(3):
            try:
                return self._edit_threadgate(root, rkey, target.comment_platform_id, hidden)
            except PermanentError as error:
                if error.code != "InvalidSwap":
                    raise
        raise TransientError("Bluesky: the thread's settings kept changing; try again")

    def _edit_threadgate(self, root: str, rkey: str, reply: str, hidden: bool) -> ActionResult:
        did = self.config.account_id
        current: dict[str, Any] = {}
        try:
            current = self.xrpc(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": did, "collection": THREADGATE, "rkey": rkey},
            )
        except PermanentError as error:
            if error.code != "RecordNotFound":
                raise
        record = mapping_at(current, "value")
        record.setdefault("$type", THREADGATE)
        record.setdefault("post", root)
        record.setdefault("createdAt", iso(self.clock()))
        listed = record.get("hiddenReplies")
        uris = [u for u in listed if isinstance(u, str)] if isinstance(listed, list) else []
        if hidden and reply not in uris:
            uris.append(reply)
        if not hidden:
            uris = [u for u in uris if u != reply]
        if len(uris) > MAX_HIDDEN_REPLIES:
            raise PermanentError(
                f"Bluesky allows at most {MAX_HIDDEN_REPLIES} hidden replies in one thread",
                code="too_many_hidden",
            )
        record["hiddenReplies"] = uris
        payload: dict[str, Any] = {
            "repo": did,
            "collection": THREADGATE,
            "rkey": rkey,
            "record": record,
        }
        if isinstance(current.get("cid"), str):
            payload["swapRecord"] = current["cid"]
        body = self.xrpc("POST", "com.atproto.repo.putRecord", json=payload)
        return ActionResult(ok=True, platform_response=body)

    def _reply(self, target: ActionTarget) -> ActionResult:
        parent = target.comment_platform_id
        root = target.post_platform_id or parent
        found = self.xrpc(
            "GET", "app.bsky.feed.getPosts", params={"uris": list(dict.fromkeys([parent, root]))}
        )
        cids: dict[str, str] = {}
        posts = found.get("posts")
        for post in posts if isinstance(posts, list) else []:
            if isinstance(dig(post, "uri"), str) and isinstance(dig(post, "cid"), str):
                cids[post["uri"]] = post["cid"]
        if parent not in cids or root not in cids:
            raise PermanentError("Bluesky: the post to reply to no longer exists", code="NotFound")
        record = {
            "$type": POST,
            "text": target.text,
            "createdAt": iso(self.clock()),
            "reply": {
                "root": {"uri": root, "cid": cids[root]},
                "parent": {"uri": parent, "cid": cids[parent]},
            },
        }
        body = self.xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": self.config.account_id, "collection": POST, "record": record},
            idempotent=False,
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("uri", "")))

    def _block(self, target: ActionTarget) -> ActionResult:
        subject = _author(target)
        existing = self._block_records(subject)
        if existing:
            return ActionResult(ok=True, platform_response={"already_blocked": existing})
        body = self.xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            json={
                "repo": self.config.account_id,
                "collection": BLOCK,
                "record": {"$type": BLOCK, "subject": subject, "createdAt": iso(self.clock())},
            },
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("uri", "")))

    def _unblock(self, target: ActionTarget) -> ActionResult:
        subject = _author(target)
        removed = []
        for uri in self._block_records(subject):
            _repo, _collection, rkey = _split_at_uri(uri)
            self.xrpc(
                "POST",
                "com.atproto.repo.deleteRecord",
                json={"repo": self.config.account_id, "collection": BLOCK, "rkey": rkey},
            )
            removed.append(uri)
        return ActionResult(ok=True, platform_response={"removed": removed})

    def _block_records(self, subject: str) -> list[str]:
        found: list[str] = []
        cursor: str | None = None
        for _ in range(MAX_RECORD_PAGES):
            params: dict[str, Any] = {
                "repo": self.config.account_id,
                "collection": BLOCK,
                "limit": 100,
            }
            if cursor:
                params["cursor"] = cursor
            body = self.xrpc("GET", "com.atproto.repo.listRecords", params=params)
            records = body.get("records")
            for record in records if isinstance(records, list) else []:
                if dig(record, "value", "subject") == subject and isinstance(
                    dig(record, "uri"), str
                ):
                    found.append(record["uri"])
            cursor = body.get("cursor") if isinstance(body.get("cursor"), str) else None
            if not cursor or not records:
                break
        return found


def _author(target: ActionTarget) -> str:
    if not target.author_platform_id.startswith("did:"):
        raise PermanentError("Bluesky: the comment's author is unknown", code="no_author")
    return target.author_platform_id


def _split_at_uri(uri: str) -> tuple[str, str, str]:
    parts = uri.removeprefix("at://").split("/") if uri.startswith("at://") else []
    if len(parts) != 3 or not all(parts):
        raise PermanentError(f"Bluesky: {clean_text(uri)[:120]!r} is not a post address")
    return parts[0], parts[1], parts[2]


def _comment(notification: Any, problems: list[str]) -> tuple[FetchedComment, datetime]:
    if not isinstance(notification, dict):
        raise ValueError("not an object")
    uri = require_id(notification.get("uri"), "post URI")
    indexed = parse_datetime(notification.get("indexedAt"))
    record = mapping_at(notification, "record")
    author = mapping_at(notification, "author")
    handle = text_at(author, "handle")
    # createdAt is set by the writer's own app: it can be anything (year 1, the far future).
    corrections: list[str] = []
    created = written_time(record.get("createdAt"), indexed, "createdAt", corrections)
    root = dig(record, "reply", "root", "uri")
    parent = dig(record, "reply", "parent", "uri")
    root_uri = root if isinstance(root, str) and root else uri
    parent_uri = parent if isinstance(parent, str) and parent != root_uri else ""
    rkey = uri.rsplit("/", 1)[-1]
    link = (
        f"https://bsky.app/profile/{quote(handle or str(author.get('did', '')))}/post/{quote(rkey)}"
    )
    return (
        FetchedComment(
            platform_id=uri,
            post_platform_id=clean_text(root_uri),
            parent_platform_id=clean_text(parent_uri),
            author=FetchedAuthor(
                platform_id=text_at(author, "did"),
                handle=handle,
                display_name=text_at(author, "displayName"),
            ),
            text=limit_text(text_at(record, "text"), f"Bluesky post {uri}", problems),
            created_at=created,
            permalink=safe_permalink(link),
            raw=clean_raw(notification),
            post=FetchedPost(clean_text(root_uri), "", "", None) if root_uri != uri else None,
            corrections=tuple(corrections),
        ),
        indexed,
    )
