"""The emulator's in-memory world: accounts, posts, comments, moderation state, blocks, faults.

One lock guards everything; lists are kept sorted by (created_at, sequence) so a page is a
bisect and a slice, fast enough to serve thousands of comments a second. Ids are generated in
each platform's own style by `platform_ids.py` (X and Mastodon ids grow with time, as their
`since_id` paging needs).
"""

from __future__ import annotations

import base64
import bisect
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import moderation.emulator.platform_ids as platform_ids

VISIBLE, HIDDEN, HELD, REJECTED, DELETED = "visible", "hidden", "held", "rejected", "deleted"
SPAM = "spam"  # held by the platform as likely spam (YouTube's likelySpam)
STATUSES = (VISIBLE, HIDDEN, HELD, REJECTED, DELETED, SPAM)
FAULT_KINDS = ("429", "500", "hang", "expired_token", "rate_limit")


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass
class Author:
    id: str
    handle: str
    name: str


@dataclass
class Account:
    platform: str
    id: str
    handle: str
    name: str

    @property
    def author(self) -> Author:
        return Author(self.id, self.handle, self.name)


@dataclass
class Post:
    platform: str
    account_id: str
    id: str
    text: str
    created_at: datetime
    seq: int
    number: int  # a small per-store counter some id styles are built from
    cid: str = ""

    @property
    def key(self) -> tuple[float, int]:
        return (self.created_at.timestamp(), self.seq)


@dataclass
class Comment:
    platform: str
    account_id: str
    id: str
    post_id: str
    parent_id: str
    author: Author
    text: str
    created_at: datetime
    seq: int
    status: str = VISIBLE
    overrides: dict[str, Any] = field(default_factory=dict)
    cid: str = ""
    notification_id: str = ""
    quote: bool = False  # a quote of the post rather than a reply to it (Bluesky)

    @property
    def key(self) -> tuple[float, int]:
        return (self.created_at.timestamp(), self.seq)

    def snapshot(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "account_id": self.account_id,
            "id": self.id,
            "post_id": self.post_id,
            "parent_id": self.parent_id,
            "author_id": self.author.id,
            "author_handle": self.author.handle,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
            "status": self.status,
        }


@dataclass
class Fault:
    platform: str  # "*" for every platform
    kind: str
    remaining: int
    path_contains: str = ""
    method: str = ""
    retry_after: float = 1.0
    hang_seconds: float = 5.0

    def matches(self, platform: str, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and self.platform in ("*", platform)
            and (not self.method or self.method.upper() == method)
            and self.path_contains in path
        )


def _key_of(item: Post | Comment) -> tuple[float, int]:
    return item.key


def encode_key(key: tuple[float, int]) -> str:
    raw = json.dumps([key[0], key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(token: str) -> tuple[float, int]:
    """Raises ValueError for a token the emulator did not write."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        first, second = json.loads(raw)
        return (float(first), int(second))
    except Exception as error:
        raise ValueError("invalid cursor") from error


def page_of(
    items: list[Any],
    after: tuple[float, int] | None,
    limit: int,
    *,
    newest_first: bool,
    keep: Callable[[Any], bool] = lambda item: True,
    floor: float | None = None,
    stop: Callable[[Any], bool] | None = None,
) -> tuple[list[Any], bool]:
    """Up to `limit` items past `after` in the given direction, and whether more remain.

    `floor` (a timestamp) and `stop` end the walk early, so a `since` filter costs a bisect
    rather than a scan of everything older.
    """
    found: list[Any] = []
    if newest_first:
        start = bisect.bisect_left(items, after, key=_key_of) - 1 if after else len(items) - 1
        indexes: Iterator[int] = iter(range(start, -1, -1))
    else:
        start = bisect.bisect_right(items, after, key=_key_of) if after else 0
        if floor is not None:
            start = max(start, bisect.bisect_left(items, (floor, -1), key=_key_of))
        indexes = iter(range(start, len(items)))
    for index in indexes:
        item = items[index]
        if newest_first and floor is not None and item.key[0] < floor:
            break
        if stop is not None and stop(item):
            break
        if not keep(item):
            continue
        if len(found) == limit:
            return found, True
        found.append(item)
    return found, False


def apply_overrides(item: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Set dotted paths in a rendered item ("snippet.publishedAt"); None removes the key."""
    for path, value in overrides.items():
        node = item
        *parents, last = path.split(".")
        for name in parents:
            child = node.get(name)
            if not isinstance(child, dict):
                child = {}
                node[name] = child
            node = child
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return item


class Store:
    """Everything the emulator knows. Every public method takes the lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.wake = threading.Event()  # set on reset, so hanging requests end at once
        self._reset_state()

    def _reset_state(self) -> None:
        self.seq = itertools.count(1)
        self.numbers = itertools.count(1001)
        self.accounts: dict[tuple[str, str], Account] = {}
        self.posts: dict[tuple[str, str], Post] = {}
        self.comments: dict[tuple[str, str], Comment] = {}
        self.posts_by_account: dict[tuple[str, str], list[Post]] = {}
        self.comments_by_post: dict[tuple[str, str], list[Comment]] = {}
        self.comments_by_account: dict[tuple[str, str], list[Comment]] = {}
        self.replies: dict[tuple[str, str], list[Comment]] = {}
        self.blocks: dict[
            tuple[str, str], dict[str, str]
        ] = {}  # (platform, account) -> {user: ref}
        self.records: dict[tuple[str, str, str], dict[str, Any]] = {}  # Bluesky repo records
        self.containers: dict[str, dict[str, Any]] = {}  # Threads reply containers
        self.idempotency: dict[str, str] = {}  # Mastodon Idempotency-Key -> status id
        self.actions: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.spent_refresh_tokens: set[str] = set()  # X rotates refresh tokens
        self.token_refreshes: list[dict[str, Any]] = []
        self.expired_access_tokens: set[str] = set()
        # Tokens the emulator issued, with when they stop working (see issue_token).
        self.token_expiry: dict[str, float] = {}
        # Seconds an issued token lives, per (platform, "access" | "refresh"); unset: forever.
        self.token_lifetimes: dict[tuple[str, str], float] = {}
        self.xrpc_calls: dict[str, int] = {}  # Bluesky: calls per NSID
        self.logins: dict[str, list[float]] = {}  # Bluesky: createSession times per identifier
        self.bluesky_sessions: dict[str, tuple[str, str]] = {}  # refresh JWT -> (login, DID)
        self.webhook_subscriptions: dict[tuple[str, str], set[str]] = {}  # Meta subscribed_apps
        self.webhook_callbacks: dict[tuple[str, str], str] = {}  # (platform, url) -> verify token
        self.x_monthly_cap: int | None = None  # X: posts readable a month; None = no cap
        self.x_posts_read = 0
        self.messages: list[Comment] = []  # private messages (Facebook, Instagram)
        self.oauth: Any = None  # what the OAuth endpoints remember (authorization.py)
        self.bluesky_oauth: Any = None  # AT Protocol OAuth sessions (bluesky_oauth.py)

    def reset(self) -> None:
        with self.lock:
            self.wake.set()
            self._reset_state()
            self.wake = threading.Event()

    # --- accounts, posts, comments -------------------------------------------------------

    def account(self, platform: str, account_id: str) -> Account:
        with self.lock:
            found = self.accounts.get((platform, account_id))
            if found is None:
                handle = {"mastodon": "council", "bluesky": "council.bsky.social"}.get(
                    platform, "examplecouncil"
                )
                found = Account(platform, account_id, handle, "Example Council")
                self.accounts[(platform, account_id)] = found
            return found

    def add_post(
        self,
        platform: str,
        account_id: str,
        post_id: str | None = None,
        text: str = "",
        created_at: datetime | None = None,
    ) -> Post:
        with self.lock:
            self.account(platform, account_id)
            seq = next(self.seq)
            number = next(self.numbers)
            created = created_at or now_utc()
            identifier = post_id or platform_ids.post_id(platform, account_id, number, seq, created)
            post = Post(platform, account_id, identifier, text, created, seq, number)
            post.cid = f"bafyrei{platform_ids.base32(seq * 7919 + number, 20)}"
            self.posts[(platform, identifier)] = post
            bisect.insort(
                self.posts_by_account.setdefault((platform, account_id), []), post, key=_key_of
            )
            return post

    def add_comment(
        self,
        platform: str,
        account_id: str,
        post_id: str,
        text: str,
        author: Author | None = None,
        *,
        created_at: datetime | None = None,
        parent_id: str = "",
        comment_id: str | None = None,
        overrides: Mapping[str, Any] | None = None,
        status: str = VISIBLE,
    ) -> Comment:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        with self.lock:
            post = self.posts.get((platform, post_id))
            if post is None:
                post = self.add_post(platform, account_id, post_id, text="A post by the council")
            seq = next(self.seq)
            created = created_at or now_utc()
            who = author or default_author(platform, seq)
            if platform == "x" and comment_id and not comment_id.isdigit():
                # X ids are decimal and grow with time (since_id relies on it): make one.
                comment_id = None
            identifier = comment_id or platform_ids.comment_id(
                platform, post.number, post.id, parent_id, who.id, seq, created
            )
            comment = Comment(
                platform=platform,
                account_id=post.account_id,
                id=identifier,
                post_id=post.id,
                parent_id=parent_id,
                author=who,
                text=text,
                created_at=created,
                seq=seq,
                status=status,
                overrides=dict(overrides or {}),
                cid=f"bafyrei{platform_ids.base32(seq * 104729, 20)}",
                notification_id=platform_ids.snowflake(created, seq, shift=16),
            )
            self.comments[(platform, identifier)] = comment
            bisect.insort(
                self.comments_by_post.setdefault((platform, post.id), []), comment, key=_key_of
            )
            bisect.insort(
                self.comments_by_account.setdefault((platform, post.account_id), []),
                comment,
                key=_key_of,
            )
            if parent_id:
                bisect.insort(
                    self.replies.setdefault((platform, parent_id), []), comment, key=_key_of
                )
            return comment

    def post(self, platform: str, post_id: str) -> Post | None:
        with self.lock:
            return self.posts.get((platform, post_id))

    def comment(self, platform: str, comment_id: str) -> Comment | None:
        with self.lock:
            return self.comments.get((platform, comment_id))

    def posts_of(self, platform: str, account_id: str) -> list[Post]:
        with self.lock:
            return self.posts_by_account.get((platform, account_id), [])

    def comments_of_post(self, platform: str, post_id: str) -> list[Comment]:
        with self.lock:
            return self.comments_by_post.get((platform, post_id), [])

    def comments_of_account(self, platform: str, account_id: str) -> list[Comment]:
        with self.lock:
            return self.comments_by_account.get((platform, account_id), [])

    def replies_of(self, platform: str, comment_id: str) -> list[Comment]:
        with self.lock:
            return self.replies.get((platform, comment_id), [])

    def set_status(self, comment: Comment, status: str) -> None:
        with self.lock:
            comment.status = status

    # --- what reached the emulator --------------------------------------------------------

    def record(self, platform: str, action: str, target: str, **params: Any) -> None:
        with self.lock:
            self.actions.append(
                {
                    "platform": platform,
                    "action": action,
                    "target": target,
                    "params": params,
                    "at": now_utc().isoformat(),
                }
            )

    def block(self, platform: str, account_id: str, user_id: str, ref: str = "") -> None:
        with self.lock:
            self.blocks.setdefault((platform, account_id), {})[user_id] = ref

    def unblock(self, platform: str, account_id: str, user_id: str) -> bool:
        with self.lock:
            return self.blocks.get((platform, account_id), {}).pop(user_id, None) is not None

    def blocked(self, platform: str, account_id: str) -> set[str]:
        with self.lock:
            return set(self.blocks.get((platform, account_id), {}))

    # --- faults ---------------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}")
        with self.lock:
            self.faults.append(fault)

    def expire(self, access_token: str) -> None:
        with self.lock:
            self.expired_access_tokens.add(access_token)

    def is_expired(self, access_token: str) -> bool:
        with self.lock:
            if access_token in self.expired_access_tokens:
                return True
            expiry = self.token_expiry.get(access_token)
            return expiry is not None and time.time() >= expiry

    def issue_token(self, platform: str, kind: str, token: str) -> tuple[str, float | None]:
        """Remember a token the emulator hands out; (token, seconds it lives or None)."""
        with self.lock:
            lifetime = self.token_lifetimes.get((platform, kind))
            if lifetime is not None:
                self.token_expiry[token] = time.time() + lifetime
            return token, lifetime

    def take_fault(self, platform: str, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(platform, method, path):
                    fault.remaining -= 1
                    return fault
            return None

    def next_number(self) -> int:
        with self.lock:
            return next(self.numbers)

    def next_seq(self) -> int:
        with self.lock:
            return next(self.seq)


def default_author(platform: str, seq: int) -> Author:
    """A made-up resident with an id in the platform's style."""
    handle = f"resident{seq}"
    ident = {
        "facebook": str(5_550_000 + seq),
        "instagram": str(178_414_000_000 + seq),
        "youtube": platform_ids.youtube_id("UC", seq, 22),
        "x": str(2_244_000 + seq),
        "linkedin": f"urn:li:person:{platform_ids.youtube_id('p', seq, 9)}",
        "threads": handle,
        "tiktok": f"u_{seq}",
        "mastodon": str(971_724 + seq),
        "bluesky": f"did:plc:{platform_ids.base32(seq * 7_777_777, 24)}",
    }.get(platform, str(seq))
    if platform == "mastodon":
        handle = f"{handle}@other.example"
    elif platform == "bluesky":
        handle = f"{handle}.bsky.social"
    elif platform == "youtube":
        handle = f"@{handle}"
    return Author(ident, handle, f"Resident {seq}")
