"""What Facebook, Instagram and Threads share: Meta's Graph API conventions.

- Version: `ChannelConfig.api_version` (the deployment's `GRAPH_API_VERSION`), else
  `DEFAULT_GRAPH_VERSION`, the version Meta's own Business SDK is generated for (v25.0 in
  facebook-python-business-sdk; v21.0 stops being served on 21 January 2027).
- Auth: the token travels in the `Authorization` header, not the query string, so it never
  lands in a log. When the channel's credentials include `app_secret`, every call also carries
  `appsecret_proof` (HMAC-SHA256 of the token keyed by the App Secret), which Meta recommends.
- Paging: `{"data": [...], "paging": {"cursors": {"after": …}, "next": …}}`; stop when `next` is
  absent (a page may be empty and still have `next`).
- Errors: `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id", "is_transient"}}`.
  Codes 4, 17, 32, 341, 613 and the 80001–80014 business-use-case codes are rate limits, sent as
  HTTP 400/403: they are transient. Code 190 is an expired or invalid token: permanent.
  `X-Business-Use-Case-Usage` carries `estimated_time_to_regain_access` in minutes (inner shape
  seen only in third-party fixtures: UNVERIFIED), which becomes `retry_after`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from moderation.connectors.base import (
    ActionResult,
    ActionTarget,
    BaseConnector,
    FetchedAuthor,
    FetchedComment,
    FetchedPost,
    Page,
    Quarantined,
    quarantine,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    describe,
    dig,
    iso,
    limit_text,
    mapping_at,
    optional_id,
    parse_datetime,
    path_segment,
    require_id,
    text_at,
)
from moderation.connectors.sweep import CommentBatch, PostBatch, sweep_posts

THROTTLING_CODES = frozenset(
    {"4", "17", "32", "341", "613"} | {str(code) for code in range(80001, 80015)}
)
TEMPORARY_CODES = frozenset({"1", "2"})  # "unknown error" and "service temporarily unavailable"


DEFAULT_GRAPH_VERSION = "v25.0"


class GraphConnector(BaseConnector):
    default_api_version: str = DEFAULT_GRAPH_VERSION
    # The fields `subscribe_webhooks` asks for; empty where webhooks are set in Meta's app
    # dashboard instead (Threads).
    webhook_fields: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return self.config.api_version or self.default_api_version

    def subscribe_webhooks(self) -> ActionResult:
        """Subscribe the account to the app (`POST /{id}/subscribed_apps`): without it Meta
        delivers nothing, whatever the app dashboard says."""
        if not self.webhook_fields:
            raise PermanentError(
                f"{self.label} webhooks are set up in the Meta app dashboard, not per account",
                code="not_supported",
            )
        account = self.segment(self.config.account_id, self.account_noun)
        body = self.graph_post(
            self.graph_path(account, "subscribed_apps"),
            {"subscribed_fields": ",".join(self.webhook_fields)},
        )
        if body.get("success") in (False, "false"):
            raise PermanentError(f"{self.label} refused to subscribe the account to the app")
        return ActionResult(ok=True, platform_response=body)

    # How each Graph platform names the listing of the account's own posts.
    sweep_kind: str = ""  # the cursor's kind, e.g. "facebook-posts"
    account_noun: str = "account id"
    posts_edge: str = ""  # e.g. "published_posts" (Facebook), "threads" (Threads)
    post_fields: str = ""

    # "MESSENGER" or "INSTAGRAM" where private messages are read (`/{id}/conversations`).
    messaging_platform: str = ""

    def fetch_comments(self, cursor: str | None) -> Page:
        """The posts' comments; once those are caught up, the private messages."""
        if not self.messaging_platform:
            return self._sweep(cursor)
        posts_cursor, inbox = _split_cursor(cursor, self.sweep_kind)
        page = self._sweep(posts_cursor)
        posts_cursor = page.next_cursor or posts_cursor
        if page.comments or page.problems or _mid_sweep(page.next_cursor):
            combined = _join_cursor(posts_cursor, inbox)
            # Everything else the page says (quarantined items, reads) goes with it.
            return replace(page, next_cursor=combined if combined != cursor else None)
        messages, inbox, problems, quarantined = self._read_inbox(inbox)
        combined = _join_cursor(posts_cursor, inbox)
        changed = combined != cursor or bool(messages)
        return Page(
            tuple(messages), combined if changed else None, tuple(problems), tuple(quarantined)
        )

    def _sweep(self, cursor: str | None) -> Page:
        return sweep_posts(
            self,
            cursor,
            kind=self.sweep_kind,
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
        )

    def _read_inbox(
        self, inbox: dict[str, Any]
    ) -> tuple[list[FetchedComment], dict[str, Any], list[str], list[Quarantined]]:
        """Messages newer than the inbox mark, from the conversations updated since it, and the
        messages that could not be read (quarantined; stored once however often they are read
        again)."""
        now = self.clock()
        floor = _inbox_time(inbox.get("t")) or now - timedelta(days=self.config.backfill_days)
        seen = [i for i in inbox.get("ids", []) if isinstance(i, str)]
        account = self.segment(self.config.account_id, self.account_noun)
        try:
            body = self.graph_get(
                self.graph_path(account, "conversations"),
                {
                    "platform": self.messaging_platform,
                    "fields": "updated_time,messages.limit(25){id,message,from,created_time}",
                    "limit": 25,
                },
            )
        except PermanentError as error:
            # Without the messaging permission comments still work: say so once, not per poll.
            problem = f"{self.label}: private messages are not read: {error}"
            known = inbox.get("err") == problem
            return [], {**inbox, "t": iso(floor), "err": problem}, [] if known else [problem], []
        messages: list[FetchedComment] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        newest, newest_ids = floor, list(seen)
        for conversation in data_items(body, self.label):
            for item in data_items(mapping_at(conversation, "messages"), self.label):
                try:
                    message = parse_message(self.platform, item, conversation, problems)
                except ValueError as error:
                    held = quarantine(f"{self.label} message", item, error)
                    problems.append(held.reason)
                    quarantined.append(held)
                    continue
                when = message.created_at
                if when < floor or (when == floor and message.platform_id in seen):
                    continue
                if when > newest:
                    newest, newest_ids = when, [message.platform_id]
                elif when == newest:
                    newest_ids.append(message.platform_id)
                if not self.is_own(message):
                    messages.append(message)
        messages.sort(key=lambda m: m.created_at)
        return messages, {"t": iso(newest), "ids": newest_ids[-50:]}, problems, quarantined

    def _reply_privately(self, target: ActionTarget) -> ActionResult:
        """The Send API (`POST /{id}/messages`): answers the person privately, never in public.
        Meta allows a free-form answer within 24 hours of the person's last message."""
        if not self.messaging_platform:
            return super()._reply_privately(target)
        if not target.author_platform_id:
            raise PermanentError(f"{self.label}: the message's sender is unknown", code="no_author")
        account = self.segment(self.config.account_id, self.account_noun)
        body = self.graph_post(
            self.graph_path(account, "messages"),
            {
                "recipient": json.dumps({"id": target.author_platform_id}),
                "message": json.dumps({"text": target.text}),
                "messaging_type": "RESPONSE",
            },
            idempotent=False,
        )
        return ActionResult(
            ok=True, platform_response=body, platform_id=str(body.get("message_id", ""))
        )

    def parse_post(self, item: Any) -> FetchedPost:
        raise NotImplementedError

    # How each Graph platform lists a post's comments (Instagram overrides list_comments).
    comments_edge: str = "comments"
    comment_noun: str = "comment"

    def comment_params(self, since: datetime) -> dict[str, Any]:
        return {}

    def parse_comment(self, item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
        raise NotImplementedError

    def list_comments(self, post: FetchedPost, token: str | None, since: datetime) -> CommentBatch:
        """One page of a post's comments, oldest first."""
        params: dict[str, Any] = {**self.comment_params(since), "limit": self.page_size}
        if token:
            params["after"] = token
        path = self.graph_path(path_segment(post.platform_id, "post id"), self.comments_edge)
        body = self.graph_get(path, params)
        comments: list[FetchedComment] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        for item in data_items(body, self.label):
            try:
                comments.append(self.parse_comment(item, post, problems))
            except ValueError as error:
                quarantined.append(quarantine(f"{self.label} {self.comment_noun}", item, error))
        return CommentBatch(comments, next_after(body), problems, quarantined)

    def list_posts(self, token: str | None, since: datetime) -> PostBatch:
        """The account's posts since ``since``, newest first, one Graph page at a time."""
        account = self.segment(self.config.account_id, self.account_noun)
        params: dict[str, Any] = {
            "fields": self.post_fields,
            "limit": 25,
            "since": int(since.timestamp()),
        }
        if token:
            params["after"] = token
        body = self.graph_get(self.graph_path(account, self.posts_edge), params)
        posts: list[FetchedPost] = []
        problems: list[str] = []
        for item in data_items(body, self.label):
            try:
                posts.append(self.parse_post(item))
            except ValueError as error:
                problems.append(describe(f"{self.label} post", item, error))
        return PostBatch(posts, next_after(body), problems)

    def graph_path(self, *segments: str) -> str:
        return "/" + "/".join((self.api_version, *segments))

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token()}"}

    def proof_params(self) -> dict[str, str]:
        app_secret = self.config.credentials.get("app_secret", "")
        if not app_secret:
            return {}
        proof = hmac.new(
            app_secret.encode(), self.access_token().encode(), hashlib.sha256
        ).hexdigest()
        return {"appsecret_proof": proof}

    def graph_get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.call_json("GET", path, params={**params, **self.proof_params()})

    def graph_post(
        self, path: str, data: dict[str, Any], *, idempotent: bool = True
    ) -> dict[str, Any]:
        return self.call_json(
            "POST", path, data={**data, **self.proof_params()}, idempotent=idempotent
        )

    def graph_delete(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.call_json("DELETE", path, params={**(params or {}), **self.proof_params()})

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        return parse_graph_error(self.label, response)


def parse_message(
    platform: str, item: Any, conversation: Any, problems: list[str]
) -> FetchedComment:
    """One message of a Page's or Instagram account's conversation, as a private item."""
    if not isinstance(item, dict):
        raise ValueError("not an object")
    message_id = require_id(item.get("id"), "message id")
    sender = mapping_at(item, "from")
    thread = optional_id(dig(conversation, "id"), "conversation id")
    return FetchedComment(
        platform_id=message_id,
        post_platform_id="",
        parent_platform_id="",
        author=FetchedAuthor(
            platform_id=optional_id(sender.get("id"), "sender id"),
            handle=text_at(sender, "username"),
            display_name=text_at(sender, "name"),
        ),
        text=limit_text(text_at(item, "message"), f"{platform} message {message_id}", problems),
        created_at=parse_datetime(item.get("created_time")),
        permalink="",
        raw=clean_raw({**item, "conversation_id": thread}),
        private=True,
    )


def _split_cursor(cursor: str | None, kind: str) -> tuple[str | None, dict[str, Any]]:
    """(the post sweep's cursor, the inbox mark); a cursor from before messages were read is
    the post sweep's."""
    if not cursor:
        return None, {}
    try:
        stored = json.loads(cursor)
    except (ValueError, RecursionError):
        return cursor, {}
    if isinstance(stored, dict) and stored.get("kind") == "graph+inbox":
        posts = stored.get("posts")
        inbox = stored.get("inbox")
        return (
            posts if isinstance(posts, str) else None,
            inbox if isinstance(inbox, dict) else {},
        )
    return cursor, {}


def _join_cursor(posts: str | None, inbox: dict[str, Any]) -> str:
    return json.dumps({"kind": "graph+inbox", "posts": posts, "inbox": inbox}, sort_keys=True)


def _mid_sweep(cursor: str | None) -> bool:
    try:
        state = json.loads(cursor) if cursor else None
    except (ValueError, RecursionError):
        return False
    return isinstance(state, dict) and state.get("q") is not None


def _inbox_time(value: Any) -> datetime | None:
    try:
        return parse_datetime(value) if value else None
    except ValueError:
        return None


def next_after(body: dict[str, Any]) -> str | None:
    """The `after` cursor when there is a next page, else None."""
    if not dig(body, "paging", "next"):
        return None
    after = dig(body, "paging", "cursors", "after")
    return after if isinstance(after, str) and after else None


def data_items(body: dict[str, Any], label: str) -> list[Any]:
    items = body.get("data")
    if items is None:
        return []
    if not isinstance(items, list):
        raise ValueError(f"{label} answered with 'data' that is not a list")
    return items


def parse_graph_error(label: str, response: HttpResponse) -> PlatformError | None:
    body = response.json_or_none()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None if response.ok else PlatformError(f"{label}: HTTP {response.status}")
    message = error.get("error_user_msg") or error.get("message") or "unknown error"
    code = str(error.get("code", "")) if error.get("code") is not None else ""
    subcode = error.get("error_subcode")
    transient = code in THROTTLING_CODES or code in TEMPORARY_CODES
    transient = transient or error.get("is_transient") is True
    suffix = f" (code {code}" + (f", subcode {subcode}" if subcode else "") + ")" if code else ""
    return PlatformError(
        message=f"{label}: {clean_text(str(message))[:500]}{suffix}",
        code=code,
        transient=transient,
        retry_after=_regain_access_seconds(response) if code in THROTTLING_CODES else None,
    )


def _regain_access_seconds(response: HttpResponse) -> float | None:
    header = response.headers.get("X-Business-Use-Case-Usage")
    if not header:
        return None
    try:
        usage = json.loads(header)
    except ValueError:
        return None
    minutes: list[float] = []
    if isinstance(usage, dict):
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else []:
                value = dig(entry, "estimated_time_to_regain_access")
                if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                    minutes.append(float(value))
    return max(minutes) * 60 if minutes else None
