"""Bluesky (AT Protocol): replies to, mentions and quotes of the council's account.

Credentials and the session: connected with OAuth, `bluesky_oauth_session.py` (DPoP-bound calls
to the account's PDS); connected with an app password, `bluesky_app_password_session.py` (one
session per channel, refreshed, logging in again only when it must). `account_id` is the
account's DID. `base_url` defaults to `https://bsky.social` (the PDS entryway, which proxies
`app.bsky.*` to the AppView).

Listing: a stream sweep over `app.bsky.notification.listNotifications` (`reasons` reply, mention,
quote; `limit` ≤ 100; `cursor`), newest first by `indexedAt`, which is the stream's order and
watermark (a post's own `createdAt` is set by the writer's client and can be anything). The
account's own posts are left out. Each notification is read as a comment in `bluesky_parsing.py`.

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

from datetime import datetime
from typing import Any

from moderation.connectors.base import (
    ActionResult,
    ActionTarget,
    BaseConnector,
    Capabilities,
    Page,
    Quarantined,
    quarantine,
)
from moderation.connectors.bluesky_app_password_session import (
    DEAD_SESSION_ERRORS,
    AppPasswordSession,
)
from moderation.connectors.bluesky_oauth_session import OAuthSession, uses_oauth
from moderation.connectors.bluesky_parsing import comment_from_notification, split_at_uri
from moderation.connectors.errors import PermanentError, TransientError
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.parsing import clean_text, dig, iso, mapping_at
from moderation.connectors.sweep import StreamBatch, StreamItem, sweep_stream

DEFAULT_BASE_URL = "https://bsky.social"
POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
POSTGATE = "app.bsky.feed.postgate"
BLOCK = "app.bsky.graph.block"
MAX_HIDDEN_REPLIES = 300
MAX_DETACHED_QUOTES = 50
REASON_OTHER = "com.atproto.moderation.defs#reasonOther"
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
        # Connected with OAuth: DPoP-bound calls to the account's PDS (bluesky_oauth_session.py);
        # otherwise the app password's session (bluesky_app_password_session.py).
        self.oauth = (
            OAuthSession(self.config, self.http, self.error_parser, self.clock)
            if uses_oauth(self.config.credentials)
            else None
        )
        self.app_password = AppPasswordSession(
            self.config, self.http, self.error_parser, self.base_url
        )

    # --- the session -----------------------------------------------------------------------

    def access_token(self) -> str:
        return self.app_password.access_token()

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        if self.oauth is not None:
            return self.oauth.request(method, self.base_url + path, **kwargs)
        try:
            return super().call(method, path, **kwargs)
        except PermanentError as error:
            if error.code not in DEAD_SESSION_ERRORS:
                raise
            session = self.app_password
            session.renew(expired=session.credentials.get("access_token", ""), cause=error)
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
                comment, indexed = comment_from_notification(notification, problems)
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
        repo, root_collection, rkey = split_at_uri(root)
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
            _repo, _collection, rkey = split_at_uri(uri)
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
