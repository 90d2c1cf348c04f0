"""Bluesky (AT Protocol): replies to, mentions and quotes of the council's account.

Credentials, connected with OAuth: see `bluesky_oauth_session.py` (DPoP-bound calls to the
account's PDS). Connected with an app password: `identifier` and `password`, and the session:
`access_token` (the `accessJwt`) and `refresh_token` (the `refreshJwt`). One session per channel
is kept and reused by every poll and every action, because bsky.social allows about 30 logins
(`com.atproto.server.createSession`) per 5 minutes and 100 a day per account:
- a stored `access_token` is used as it is;
- when Bluesky answers `ExpiredToken`, the session is refreshed with
  `com.atproto.server.refreshSession` (the refresh JWT as the bearer), which also replaces the
  refresh JWT;
- only when there is no session, or the refresh JWT is dead too, does the connector log in again;
- every new session goes to `ChannelConfig.on_refresh`, which stores it encrypted, under the
  channel's refresh lock (two workers meeting an expired token refresh it once).
A login refused by the quota (429) is a `TransientError` carrying the wait, never retried at
once. `account_id` is the account's DID. `base_url` defaults to `https://bsky.social` (the PDS
entryway, which proxies `app.bsky.*` to the AppView).

Listing: a stream sweep over `app.bsky.notification.listNotifications` (`reasons` reply, mention,
quote; `limit` ≤ 100; `cursor`), newest first by `indexedAt`, which is the stream's order and
watermark (a post's own `createdAt` is set by the writer's client and can be anything). The
comment id is the post's `at://` URI; the thread is `record.reply.root`, or for a quote the post
it quotes. The account's own posts are left out. Permalinks are the
`bsky.app/profile/{handle}/post/{rkey}` convention.

Actions:
- hide/unhide: edit the root post's `app.bsky.feed.threadgate` record (rkey = the root's rkey)
  and its `hiddenReplies` list (≤ 300) with `getRecord` + `putRecord` (`swapRecord` guards
  against a concurrent edit). Only the thread's author can do this, so only replies in threads
  the council started can be hidden. Existing `allow` rules are kept.
- detach_quote: the same with the quoted post's `app.bsky.feed.postgate` record and its
  `detachedEmbeddingUris` (≤ 50): the quote then shows without the council's post.
- reply: `createRecord` of an `app.bsky.feed.post` with `reply.root`/`reply.parent` (their CIDs
  come from `app.bsky.feed.getPosts`).
- block: `createRecord` of an `app.bsky.graph.block` (public); unblock deletes the council's
  block records for that DID (found with `listRecords`).
- mute: `app.bsky.graph.muteActor` (private to the account).
- report: `com.atproto.moderation.createReport` with the post as a `strongRef` and
  `reasonType` `com.atproto.moderation.defs#reasonOther` plus the officer's reason.
- remove: deleting happens only in one's own repository, so not offered.
Bluesky has no webhooks (only the firehose / Jetstream over WebSocket): polled.
"""

from __future__ import annotations

import base64
import json
from contextlib import nullcontext
from datetime import UTC, datetime
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
    Quarantined,
    quarantine,
)
from moderation.connectors.bluesky_oauth_session import OAuthSession, uses_oauth
from moderation.connectors.errors import PermanentError, TransientError
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
POSTGATE = "app.bsky.feed.postgate"
BLOCK = "app.bsky.graph.block"
MAX_HIDDEN_REPLIES = 300
MAX_DETACHED_QUOTES = 50
REASON_OTHER = "com.atproto.moderation.defs#reasonOther"
DEAD_SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
MAX_RECORD_PAGES = 20
TRANSIENT_ERRORS = frozenset({"RateLimitExceeded", "UpstreamFailure", "UpstreamTimeout"})

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    remove=False,
    reply=True,
    block=True,
    unblock=True,
    webhooks=False,
    mute=True,
    report=True,
    detach_quote=True,
    notice=True,
    notes={
        "hide": "Hides the reply in threads the council started (people can still reveal it "
        "behind 'hidden replies'). Replies in other people's threads cannot be hidden.",
        "unhide": "Shows a hidden reply again.",
        "remove": "Bluesky only lets an account delete its own posts: hide the reply, or "
        "report it to Bluesky moderation.",
        "reply": "Replies as the account, in the same thread.",
        "block": "Blocks the account (blocks are public on Bluesky): neither side sees the "
        "other's posts.",
        "unblock": "Removes the council's block on the account.",
        "webhooks": "Bluesky has no webhooks; the account is polled.",
        "approve": "Bluesky does not hold replies for approval.",
        "reject": "Bluesky does not hold replies for approval: hide the reply instead.",
        "mute": "Mutes the account for the council's account only (mutes are private): its "
        "posts stop reaching the council; nobody else is affected.",
        "report": "Reports the post to Bluesky's moderation service.",
        "notice": "Posted as the account in the same thread, in reply to the post the reply "
        "answered.",
        "detach_quote": "Detaches this quote from the council's post: the quote stays, but no "
        "longer shows the council's post. Only quotes of the council's own posts.",
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
        self.credentials: dict[str, str] = dict(self.config.credentials)
        # Connected with OAuth: DPoP-bound calls to the account's PDS (bluesky_oauth_session.py).
        self.oauth = (
            OAuthSession(self.config, self.http, self.error_parser, self.clock)
            if uses_oauth(self.credentials)
            else None
        )

    # --- the session -----------------------------------------------------------------------

    def _can_log_in(self) -> bool:
        return bool(self.credentials.get("identifier") and self.credentials.get("password"))

    def access_token(self) -> str:
        token = self.credentials.get("access_token", "")
        if token:
            return token
        if self._can_log_in():
            self._renew(expired="")
            return self.credentials["access_token"]
        raise PermanentError(
            "Bluesky: this channel has neither a session nor an app password; reconnect it",
            code="no_token",
        )

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        if self.oauth is not None:
            return self.oauth.request(method, self.base_url + path, **kwargs)
        try:
            return super().call(method, path, **kwargs)
        except PermanentError as error:
            if error.code not in DEAD_SESSION_ERRORS:
                raise
            self._renew(expired=self.credentials.get("access_token", ""), cause=error)
        return super().call(method, path, **kwargs)

    def _renew(self, expired: str, cause: PermanentError | None = None) -> None:
        """A working session: another worker's, a refreshed one, or, last, a new login."""
        lock = self.config.refresh_lock
        with lock() if lock is not None else nullcontext() as stored:
            current = stored.get("access_token", "") if stored else ""
            if current and current != expired:
                self.credentials = {**self.credentials, **(stored or {})}
                return
            refresh = self.credentials.get("refresh_token", "")
            session = self._refresh_session(refresh) if refresh else None
            if session is None:
                if not self._can_log_in():
                    said = f"{cause.message}; " if cause is not None else "Bluesky: "
                    raise PermanentError(
                        f"{said}the channel's session has expired and it has no app password "
                        "to log in again: reconnect it",
                        status=cause.status if cause is not None else None,
                        code="ExpiredToken",
                    )
                session = self._create_session()
            self.credentials = {**self.credentials, **session}
            if self.config.on_refresh is not None:
                self.config.on_refresh(dict(self.credentials))

    def _refresh_session(self, refresh_token: str) -> dict[str, str] | None:
        try:
            response = self.http.request(
                "POST",
                f"{self.base_url}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {refresh_token}"},
                error_parser=self.error_parser,
                idempotent=False,  # the refresh JWT is spent by the first use
            )
        except PermanentError as error:
            if error.code in DEAD_SESSION_ERRORS or error.status in (400, 401):
                return None
            raise
        return _session(response.json())

    def _create_session(self) -> dict[str, str]:
        try:
            response = self.http.request(
                "POST",
                f"{self.base_url}/xrpc/com.atproto.server.createSession",
                json={
                    "identifier": self.credentials["identifier"],
                    "password": self.credentials["password"],
                },
                error_parser=self.error_parser,
                idempotent=False,  # each attempt spends one of the day's logins
            )
        except TransientError as error:
            if error.status != 429:
                raise
            wait = f" for {error.retry_after / 60:.0f} minutes" if error.retry_after else ""
            raise TransientError(
                "Bluesky refused to log in again: an account may log in about 30 times in 5 "
                f"minutes and 100 times a day. The channel waits{wait} before trying again.",
                status=429,
                code="RateLimitExceeded",
                retry_after=error.retry_after,
            ) from error
        return _session(response.json())

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
        return self._edit_gate(
            THREADGATE,
            "hiddenReplies",
            MAX_HIDDEN_REPLIES,
            root,
            target.comment_platform_id,
            hidden,
        )

    def _detach_quote(self, target: ActionTarget) -> ActionResult:
        return self._edit_gate(
            POSTGATE,
            "detachedEmbeddingUris",
            MAX_DETACHED_QUOTES,
            target.post_platform_id,
            target.comment_platform_id,
            True,
        )

    def _edit_gate(
        self, collection: str, field: str, limit: int, root: str, uri: str, listed: bool
    ) -> ActionResult:
        """Add `uri` to (or take it from) a list in the council's gate record for `root`."""
        repo, root_collection, rkey = _split_at_uri(root)
        if repo != self.config.account_id or root_collection != POST:
            raise PermanentError(
                "Bluesky only lets the author of a post hide its replies or detach its quotes, "
                "and this thread was not started by the council",
                code="not_thread_author",
            )
        for _ in range(3):
            try:
                return self._write_gate(collection, field, limit, root, rkey, uri, listed)
            except PermanentError as error:
                if error.code != "InvalidSwap":
                    raise
        raise TransientError("Bluesky: the post's settings kept changing; try again")

    def _write_gate(
        self,
        collection: str,
        field: str,
        limit: int,
        root: str,
        rkey: str,
        uri: str,
        listed: bool,
    ) -> ActionResult:
        did = self.config.account_id
        current: dict[str, Any] = {}
        try:
            current = self.xrpc(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": did, "collection": collection, "rkey": rkey},
            )
        except PermanentError as error:
            if error.code != "RecordNotFound":
                raise
        record = mapping_at(current, "value")
        record.setdefault("$type", collection)
        record.setdefault("post", root)
        record.setdefault("createdAt", iso(self.clock()))
        present = record.get(field)
        uris = [u for u in present if isinstance(u, str)] if isinstance(present, list) else []
        if listed and uri not in uris:
            uris.append(uri)
        if not listed:
            uris = [u for u in uris if u != uri]
        if len(uris) > limit:
            raise PermanentError(
                f"Bluesky allows at most {limit} entries in a post's {field}",
                code="too_many",
            )
        record[field] = uris
        payload: dict[str, Any] = {
            "repo": did,
            "collection": collection,
            "rkey": rkey,
            "record": record,
        }
        if isinstance(current.get("cid"), str):
            payload["swapRecord"] = current["cid"]
        body = self.xrpc("POST", "com.atproto.repo.putRecord", json=payload)
        return ActionResult(ok=True, platform_response=body)

    def _mute(self, target: ActionTarget) -> ActionResult:
        body = self.xrpc("POST", "app.bsky.graph.muteActor", json={"actor": _author(target)})
        return ActionResult(ok=True, platform_response=body)

    def _report(self, target: ActionTarget) -> ActionResult:
        cid = self._cids([target.comment_platform_id]).get(target.comment_platform_id)
        if cid is None:
            raise PermanentError("Bluesky: the post to report no longer exists", code="NotFound")
        body = self.xrpc(
            "POST",
            "com.atproto.moderation.createReport",
            json={
                "reasonType": REASON_OTHER,
                "reason": target.text[:2000],
                "subject": {
                    "$type": "com.atproto.repo.strongRef",
                    "uri": target.comment_platform_id,
                    "cid": cid,
                },
            },
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))

    def _cids(self, uris: list[str]) -> dict[str, str]:
        found = self.xrpc(
            "GET", "app.bsky.feed.getPosts", params={"uris": list(dict.fromkeys(uris))}
        )
        cids: dict[str, str] = {}
        posts = found.get("posts")
        for post in posts if isinstance(posts, list) else []:
            if isinstance(dig(post, "uri"), str) and isinstance(dig(post, "cid"), str):
                cids[post["uri"]] = post["cid"]
        return cids

    def _reply(self, target: ActionTarget) -> ActionResult:
        parent = target.comment_platform_id
        root = target.post_platform_id or parent
        cids = self._cids([parent, root])
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


def _session(body: Any) -> dict[str, str]:
    access, refresh = dig(body, "accessJwt"), dig(body, "refreshJwt")
    if not isinstance(access, str) or not access or not isinstance(refresh, str):
        raise PermanentError("Bluesky: signing in returned no session", code="no_token")
    session = {"access_token": access, "refresh_token": refresh}
    for key, name in (("access_token_expires_at", access), ("refresh_token_expires_at", refresh)):
        expiry = _jwt_expiry(name)
        if expiry:
            session[key] = expiry
    return session


def _jwt_expiry(token: str) -> str:
    """The `exp` claim of a JWT as ISO 8601, read without verifying (it is only a hint for
    refreshing ahead); "" when it has none."""
    parts = token.split(".")
    if len(parts) != 3:
        return ""
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return iso(datetime.fromtimestamp(float(claims["exp"]), UTC))
    except (ValueError, KeyError, TypeError, OverflowError):
        return ""


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
    if notification.get("reason") == "quote":
        # A quote is not in a thread: it belongs under the post it quotes.
        root = dig(notification, "reasonSubject") or dig(record, "embed", "record", "uri")
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
