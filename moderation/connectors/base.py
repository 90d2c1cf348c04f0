"""The connector interface: what every platform module offers, and the values they exchange.

A connector lists new comments on one channel (a Facebook Page, a YouTube channel, an X
account …) and performs the moderation actions the platform allows. It is plain Python: no
Django, no database. The ingest job maps the dataclasses below onto models; the outbox worker
calls `perform` and records the answer.

The cursor contract (`Page.next_cursor`):
- `fetch_comments(None)` is the first run: it backfills `ChannelConfig.backfill_days`.
- A non-None `next_cursor` is the state to store and pass back next time (it can be several
  kilobytes of JSON: keep it in a text column, do not parse it).
- `None` means "caught up, nothing changed": keep the cursor you passed in and call again at
  the next poll. So `stored = page.next_cursor or cursor` is always right, and a loop that
  stops on None always ends.
- Overlap between calls is possible (idempotent storage absorbs it); loss is not.

Other promises:
- Every datetime is timezone-aware UTC, and a comment's time lies between 2000 and a day ahead
  of now (`parsing.time_problem`).
- `FetchedComment` checks these promises itself when it is made: a connector that builds one
  from a bad item gets `ValueError`, and the item is quarantined (`quarantine`), never passed on.
- Every text field is a `str` with NUL and lone surrogates replaced by U+FFFD (PostgreSQL
  rejects both); otherwise text is as the platform sent it, up to 100,000 characters.
- `FetchedAuthor.platform_id` may be "" when a platform withholds who wrote a comment
  (Facebook does, for people without a Page role, depending on the app's permissions).
- `perform` never silently does nothing: an action the platform does not allow raises
  `PermanentError` naming why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from moderation.connectors.errors import PermanentError, TransientError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.parsing import (
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    clean_raw,
    clean_text,
    describe,
    is_clean,
    item_id,
    path_segment,
    time_problem,
)

ACTIONS = (
    "hide",
    "unhide",
    "remove",
    "reply",
    "block",
    "unblock",
    # Added for platforms that have them; every platform's table says yes or no to each.
    "approve",  # publish a comment the platform itself held (YouTube heldForReview, likelySpam)
    "reject",  # reject a comment the platform held (YouTube: permanent)
    "mute",  # stop seeing an account, privately (Mastodon, Bluesky)
    "report",  # report to the platform's or the instance's moderators (Mastodon, Bluesky)
    "detach_quote",  # detach a quote of the council's post from it (Bluesky postgate)
    # post the removal notice on the thread a removed comment was in (under its parent comment,
    # else on the council's post), where people can see it after the comment has gone
    "notice",
)
PLATFORMS = (
    "facebook",
    "instagram",
    "youtube",
    "x",
    "linkedin",
    "threads",
    "tiktok",
    "mastodon",
    "bluesky",
)


@dataclass(frozen=True)
class Capabilities:
    """Which actions a platform allows; `notes` says how it does each one, or why it cannot."""

    hide: bool
    unhide: bool
    remove: bool
    reply: bool
    block: bool
    unblock: bool
    webhooks: bool
    notes: Mapping[str, str] = field(hash=False)
    approve: bool = False
    reject: bool = False
    mute: bool = False
    report: bool = False
    detach_quote: bool = False
    notice: bool = False
    # Direct/private messages are listed as private items, and `reply` to one answers privately.
    private_messages: bool = False
    # How the console names an action on this platform when the generic name would mislead
    # (YouTube's "remove" is a permanent rejection).
    labels: Mapping[str, str] = field(hash=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way down: the table is shared by every request in the process.
        object.__setattr__(self, "notes", MappingProxyType(dict(self.notes)))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))

    def allows(self, action: str) -> bool:
        return action in ACTIONS and bool(getattr(self, action))


@dataclass(frozen=True)
class FetchedAuthor:
    platform_id: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class FetchedPost:
    platform_id: str
    text: str  # context for officers, at most 500 characters; posts are not moderated
    permalink: str
    created_at: datetime | None


@dataclass(frozen=True)
class FetchedComment:
    platform_id: str
    post_platform_id: str
    parent_platform_id: str  # "" when the comment answers the post itself
    author: FetchedAuthor
    text: str
    created_at: datetime  # aware, UTC
    permalink: str  # http(s) only; "" when there is no safe link
    raw: Mapping[str, Any] = field(hash=False, compare=False)
    post: FetchedPost | None = None
    # A direct or private message (Facebook/Instagram messages, Mastodon direct mentions): shown
    # as a private item, answered privately, never offered public actions.
    private: bool = False
    # The platform's own moderation state when it is not "published", e.g. YouTube's
    # "heldForReview" or "likelySpam": the comment is not public until approved.
    platform_status: str = ""
    # Values the connector could not use as sent and replaced, one readable line each (a
    # Bluesky `createdAt` of year 1 replaced by the time Bluesky indexed the post).
    corrections: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_comment(self)


def check_comment(comment: FetchedComment) -> None:
    """The one validation every comment passes, from every connector, webhook and import.

    A wrong type, a missing id, an overlong field or an impossible time raises `ValueError`
    (the item is quarantined); NUL and lone surrogates, which PostgreSQL cannot store, are
    replaced by U+FFFD (the text is still worth checking).
    """
    for name in ("platform_id", "post_platform_id", "parent_platform_id"):
        _check_text(comment, name, MAX_ID_LENGTH)
    if not comment.platform_id.strip():
        raise ValueError("missing id")
    if not isinstance(comment.author, FetchedAuthor):
        raise ValueError("missing author")
    _check_text(comment.author, "platform_id", MAX_ID_LENGTH)
    for name in ("handle", "display_name"):  # a long name is cut when stored, not refused
        _check_text(comment.author, name, None)
    _check_text(comment, "text", MAX_TEXT_LENGTH)
    _check_text(comment, "permalink", 2_000)
    created = comment.created_at
    if not isinstance(created, datetime) or created.utcoffset() is None:
        raise ValueError("created time is not an aware datetime")
    problem = time_problem(created)
    if problem:
        raise ValueError(f"created time {problem}")
    if not isinstance(comment.raw, Mapping):
        raise ValueError("raw item is not an object")


def _check_text(holder: object, name: str, limit: int | None) -> None:
    value = getattr(holder, name)
    what = name if isinstance(holder, FetchedComment) else f"author {name}"
    if not isinstance(value, str):
        raise ValueError(f"{what} is {type(value).__name__}, not text")
    if limit is not None and len(value) > limit:
        raise ValueError(f"{what} is longer than {limit:,} characters")
    if not is_clean(value):
        object.__setattr__(holder, name, clean_text(value))  # frozen: set once, while made


@dataclass(frozen=True)
class Quarantined:
    """A platform item that could not be read: kept as received, with the reason, for people
    to see (the rest of its page or delivery is stored as usual)."""

    reason: str  # one readable line: which item, and what was wrong with it
    platform_id: str  # "" when the item had no usable id
    raw: Any = field(hash=False, compare=False)  # the item as received, made JSON-safe
    # The account the item was for, when one source serves several (a webhook delivery).
    account_id: str = ""


def quarantine(label: str, item: object, error: Exception) -> Quarantined:
    """The quarantined form of one unreadable item (``label`` names it: "Bluesky post")."""
    return Quarantined(describe(label, item, error), item_id(item), clean_raw(item))


@dataclass(frozen=True)
class Page:
    comments: tuple[FetchedComment, ...]
    next_cursor: str | None  # opaque; None when caught up (keep the cursor you passed in)
    problems: tuple[str, ...] = ()  # items skipped or altered, one readable message each
    # The items among `problems` that could not be read, as received (each reported once).
    quarantined: tuple[Quarantined, ...] = ()
    # Billable reads this call made, where the platform charges per item read (X: posts read).
    reads: int = 0


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    platform_response: Mapping[str, Any] = field(hash=False)
    platform_id: str = ""  # the id of what the action created, e.g. a reply


@dataclass(frozen=True)
class ActionTarget:
    comment_platform_id: str
    author_platform_id: str
    post_platform_id: str
    text: str = ""  # for reply (and the reason given with a report)
    parent_platform_id: str = ""
    private: bool = False  # a private message: only `reply` is allowed, and it answers privately


@dataclass(frozen=True)
class ChannelConfig:
    platform: str
    account_id: str  # page id / IG user id / channel id / user id / org URN / actor DID …
    credentials: Mapping[str, str] = field(hash=False)  # decrypted: access_token, app_secret …
    base_url: str = ""  # "" = the platform's real address; tests and the demo use the emulator
    backfill_days: int = 7
    # The platform API version to call ("" = the connector's current default): the Graph API
    # version for Facebook and Instagram ("v25.0"), `LinkedIn-Version` for LinkedIn ("202607").
    api_version: str = ""
    # Called with the new credentials when a connector refreshes its access token (oauth.py).
    on_refresh: Callable[[Mapping[str, str]], None] | None = field(
        default=None, compare=False, hash=False
    )
    # Held while a connector refreshes: one refresh of a channel at a time, across workers. It
    # gives the channel's credentials as stored once the lock is held (oauth.py).
    refresh_lock: Callable[[], AbstractContextManager[Mapping[str, str] | None]] | None = field(
        default=None, compare=False, hash=False
    )
    # Bluesky OAuth: the form fields that authenticate the console's OAuth client to the given
    # authorisation server (its client_id and, as a confidential client, a signed assertion).
    client_authentication: Callable[[str], Mapping[str, str]] | None = field(
        default=None, compare=False, hash=False
    )


@runtime_checkable
class Connector(Protocol):
    platform: str
    capabilities: Capabilities

    def fetch_comments(self, cursor: str | None) -> Page: ...

    def perform(self, action: str, comment: ActionTarget) -> ActionResult: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class BaseConnector:
    """What the nine platform modules share: configuration, the HTTP client, action dispatch.

    A subclass sets `platform`, `label`, `capabilities`, `default_base_url` and
    `max_page_size`, implements `fetch_comments` and one `_<action>` method per action it
    allows, and gives `error_parser` for its error envelope.
    """

    platform: str = ""
    label: str = ""  # the platform's name as people write it, used in messages
    capabilities: Capabilities
    default_base_url: str = ""
    max_page_size: int = 100

    def __init__(
        self,
        config: ChannelConfig,
        http: HttpClient | None = None,
        *,
        page_size: int | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if config.platform != self.platform:
            raise ValueError(f"{type(self).__name__} cannot serve a {config.platform!r} channel")
        self.config = config
        self.http = http if http is not None else HttpClient()
        self.base_url = (config.base_url or self.default_base_url).rstrip("/")
        self.page_size = max(1, min(page_size or self.max_page_size, self.max_page_size))
        self.clock = clock

    # --- listing ---------------------------------------------------------------------------

    def fetch_comments(self, cursor: str | None) -> Page:
        raise NotImplementedError

    # --- actions ---------------------------------------------------------------------------

    def perform(self, action: str, comment: ActionTarget) -> ActionResult:
        if action not in ACTIONS:
            raise PermanentError(
                f"{self.label}: {action!r} is not an action (expected one of {', '.join(ACTIONS)})",
                code="unknown_action",
            )
        if comment.private and action != "reply":
            raise PermanentError(
                f"{self.label}: a private message can only be answered privately; "
                f"'{action}' would act on it in public",
                code="private_message",
            )
        if comment.private and not self.capabilities.private_messages:
            raise PermanentError(
                f"{self.label}: private messages cannot be answered through this connection",
                code="not_supported",
            )
        if not self.capabilities.allows(action):
            why = self.capabilities.notes.get(action, "the platform offers no way to do it")
            raise PermanentError(
                f"{self.label} does not allow '{action}': {why}", code="not_supported"
            )
        if action in ("reply", "notice") and not comment.text.strip():
            raise PermanentError(f"{self.label}: a reply needs some text", code="empty_reply")
        if comment.private:
            return self._reply_privately(_normalised_target(comment))
        handler: Callable[[ActionTarget], ActionResult] = getattr(self, f"_{action}")
        return handler(_normalised_target(comment))

    def _notice(self, target: ActionTarget) -> ActionResult:
        """The removal notice, as a reply to what the removed comment answered: its parent
        comment if it had one, else the council's post. Platforms whose replies to a post take
        another call override this."""
        under = target.parent_platform_id or target.post_platform_id
        if not under:
            raise PermanentError(
                f"{self.label}: the removed comment's post is unknown, so there is no thread to "
                "post the notice on",
                code="no_thread",
            )
        reply: Callable[[ActionTarget], ActionResult] = getattr(self, "_reply")  # noqa: B009
        return reply(replace(target, comment_platform_id=under, parent_platform_id=""))

    def _reply_privately(self, target: ActionTarget) -> ActionResult:
        raise PermanentError(
            f"{self.label}: private messages cannot be answered through this connection",
            code="not_supported",
        )

    # --- who the council is --------------------------------------------------------------

    def comment_signatures(self, posts: list[FetchedPost]) -> dict[str, str] | None:
        """A per-post signature of its comments, where the platform has one (see sweep.py)."""
        return None

    def own_ids(self) -> frozenset[str]:
        """The ids, URNs, DIDs or handles under which the channel's own account writes."""
        return frozenset({self.config.account_id.strip()} - {""})

    def is_own(self, comment: FetchedComment) -> bool:
        """True for the council's own posts and replies, which are never incoming comments."""
        author = comment.author
        own = self.own_ids()
        return bool(
            (author.platform_id and author.platform_id in own)
            or (author.handle and author.handle.lstrip("@").lower() in _lowered(own))
        )

    # --- HTTP ------------------------------------------------------------------------------

    def segment(self, value: str, what: str = "id") -> str:
        """An id for a URL path; an unusable one is a permanent failure of this action."""
        try:
            return path_segment(value, what)
        except ValueError as error:
            raise PermanentError(f"{self.label}: {error}", code="invalid_id") from error

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        """The platform's error envelope, read; None when the response is not an error."""
        return None

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token()}"}

    def access_token(self) -> str:
        token = self.config.credentials.get("access_token", "")
        if not token:
            raise PermanentError(
                f"{self.label}: this channel has no access token; reconnect it in Channels",
                code="no_token",
            )
        return token

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
    ) -> HttpResponse:
        """One request to `base_url + path` with this platform's auth and error envelope."""
        all_headers = {**self.auth_headers(), **(headers or {})}
        return self.http.request(
            method,
            self.base_url + path,
            params=params,
            json=json,
            data=data,
            headers=all_headers,
            error_parser=self.error_parser,
            idempotent=idempotent,
        )

    def call_json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Like `call`, for answers that must be a JSON object ({} for an empty body)."""
        response = self.call(method, path, **kwargs)
        if not response.content.strip():
            return {}
        body = response.json()
        if not isinstance(body, dict):
            raise TransientError(
                f"{self.label} answered {method} {path} with JSON that is not an object",
                status=response.status,
            )
        return body


def _normalised_target(target: ActionTarget) -> ActionTarget:
    # A parent equal to the comment itself means "no parent"; callers sometimes fill it so.
    if target.parent_platform_id and target.parent_platform_id == target.comment_platform_id:
        return replace(target, parent_platform_id="")
    return target


def _lowered(values: frozenset[str]) -> frozenset[str]:
    return frozenset(value.lstrip("@").lower() for value in values)
