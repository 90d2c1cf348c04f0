"""Resumable listing: a sweep across a channel's recent posts, or down a notification stream.

Two shapes cover the nine platforms. Both are exact: a comment is reported once, and a poll that
finds nothing new answers `None` (keep the cursor you passed in), however many comments share a
timestamp.

**Per-post sweep** (Facebook, Instagram, Threads, LinkedIn, TikTok): list the account's posts from
the last `backfill_days` (at most `max_posts`), then each post's comments, page by page, oldest
first. Each post keeps its own high-water mark: the newest comment time seen on it, how many
comments share that time, and their ids (up to `MAX_TIE_IDS`). Next time a comment is new if it
is newer than the mark, or shares its time and was not among those seen; when more than
`MAX_TIE_IDS` share the time, their position in the (stable) listing decides. A mark per post
matters: a comment written on an early post while later posts were being read is older than the
newest comment seen on the channel, and a channel-wide mark would lose it. Comments on a post
seen for the first time count from the start of the backfill period. A comment that becomes
visible later than a newer comment on the same post is not seen by polling (Meta's webhooks
deliver those).

**Stream sweep** (YouTube threads, X mentions, Mastodon notifications, Bluesky notifications):
newest first, until the platform's own `since_id` filter ends the list, or an item is one of the
newest `FENCE_SIZE` items of the previous sweep (the fence), or is older than its newest key.

Each call returns at most one page of comments; pages holding nothing new are skipped within the
call. The cursor (see `base.Page`) is JSON; between sweeps it holds the marks, mid-sweep also
where to resume. A malformed item is reported once, not at every poll.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from moderation.connectors.base import FetchedComment, FetchedPost, Page
from moderation.connectors.parsing import clean_text, iso, parse_datetime, shorten

POST_TEXT_LIMIT = 500
MAX_POST_PAGES = 10
MAX_QUIET_PAGES = 20
MAX_TIE_IDS = 50
FENCE_SIZE = 20
MAX_PROBLEM_MARKS = 200
CURSOR_VERSION = 2
# A post skipped because its comment count did not move is read anyway after this long.
REREAD_AFTER = timedelta(hours=6)


def encode_cursor(kind: str, state: Mapping[str, Any]) -> str:
    return json.dumps(
        {"v": CURSOR_VERSION, "kind": kind, **state}, separators=(",", ":"), ensure_ascii=True
    )


def decode_cursor(cursor: str | None, kind: str, label: str) -> tuple[dict[str, Any] | None, str]:
    """The stored state, or None (first run). An unreadable cursor restarts the backfill."""
    if cursor is None or cursor == "":
        return None, ""
    try:
        state = json.loads(cursor)
    except (ValueError, RecursionError):
        state = None
    if isinstance(state, dict) and state.get("v") == CURSOR_VERSION and state.get("kind") == kind:
        return state, ""
    return None, (
        f"{label}: the stored listing position could not be read, so listing restarted from "
        "the backfill period (comments already stored are not stored twice)"
    )


def _fresh(problems: list[str], state: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Problems not reported before, and the fingerprints to remember.

    A malformed item stays on the platform; without this it would be reported at every poll.
    """
    known = _ids(state.get("bad"))
    fresh: list[str] = []
    for problem in problems:
        mark = hashlib.sha1(problem.encode("utf-8", "replace")).hexdigest()[:12]
        if mark not in known:
            known.append(mark)
            fresh.append(problem)
    return fresh, known[-MAX_PROBLEM_MARKS:]


def _ids(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _time(value: Any, default: datetime) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError:
        return default


# --- per-post sweep ------------------------------------------------------------------------


@dataclass
class PostBatch:
    posts: list[FetchedPost]
    next_token: str | None
    problems: list[str] = field(default_factory=list)


@dataclass
class CommentBatch:
    comments: list[FetchedComment]
    next_token: str | None
    problems: list[str] = field(default_factory=list)


class PostSource(Protocol):
    def list_posts(self, token: str | None, since: datetime) -> PostBatch:
        """One page of the account's posts, newest first; next_token None past `since`."""
        ...

    def list_comments(self, post: FetchedPost, token: str | None, since: datetime) -> CommentBatch:
        """One page of a post's comments, oldest first; `since` is a hint, not a promise."""
        ...

    def is_own(self, comment: FetchedComment) -> bool:
        """The council's own reply: seen (it moves the mark) but never reported as a comment."""
        ...

    def comment_signatures(self, posts: list[FetchedPost]) -> dict[str, str] | None:
        """Something per post that changes when its comments do (a count), read more cheaply
        than the comments themselves; None when the platform offers nothing of the kind."""
        ...


@dataclass
class Mark:
    """A post's high-water mark: the newest comment time, how many share it, their ids."""

    newest: str = ""  # iso(), sorts as text
    count: int = 0
    ids: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, value: Any) -> Mark | None:
        if not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], str):
            return None
        count = value[1] if isinstance(value[1], int) and not isinstance(value[1], bool) else 0
        return cls(value[0], max(count, 0), _ids(value[2]))

    def dump(self) -> list[Any]:
        return [self.newest, self.count, self.ids]

    def note(self, key: str, comment_id: str) -> None:
        if key > self.newest:
            self.newest, self.count, self.ids = key, 1, [comment_id]
        elif key == self.newest:
            self.count += 1
            if len(self.ids) < MAX_TIE_IDS:
                self.ids.append(comment_id)

    def is_new(self, key: str, comment_id: str, tie_position: int) -> bool:
        if key != self.newest:
            return key > self.newest
        if self.count <= len(self.ids):
            return comment_id not in self.ids
        return tie_position >= self.count  # too many ties to list: the stable order decides


def _post_ref(post: FetchedPost) -> dict[str, str]:
    return {
        "id": post.platform_id,
        "t": iso(post.created_at) if post.created_at else "",
        "u": post.permalink,
        "x": shorten(post.text, POST_TEXT_LIMIT),
    }


def _post_from_ref(ref: Any) -> FetchedPost | None:
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str):
        return None
    created: datetime | None
    try:
        created = parse_datetime(ref.get("t")) if ref.get("t") else None
    except ValueError:
        created = None
    return FetchedPost(
        platform_id=clean_text(ref["id"]),
        text=clean_text(ref.get("x") if isinstance(ref.get("x"), str) else ""),
        permalink=clean_text(ref.get("u") if isinstance(ref.get("u"), str) else ""),
        created_at=created,
    )


def sweep_posts(
    source: PostSource,
    cursor: str | None,
    *,
    kind: str,
    label: str,
    now: datetime,
    backfill_days: int,
    max_posts: int = 100,
) -> Page:
    state, note = decode_cursor(cursor, kind, label)
    problems = [note] if note else []
    first_run = state is None
    between_sweeps = state is not None and state.get("q") is None
    state = state or {}
    floor = now - timedelta(days=backfill_days)
    if state.get("q") is None:  # a new sweep starts: list the posts to visit
        posts = _list_recent_posts(source, floor, max_posts, problems)
        stored_marks = state.get("marks")
        old_marks: dict[str, Any] = stored_marks if isinstance(stored_marks, dict) else {}
        to_read, seen = _posts_to_read(source, posts, state.get("seen"), now, problems)
        state = {
            "f": iso(floor),
            "q": [_post_ref(p) for p in to_read],
            # Posts no longer listed are forgotten with their marks.
            "marks": {
                p.platform_id: old_marks[p.platform_id] for p in posts if p.platform_id in old_marks
            },
            "cur": None,
            "tok": None,
            "bad": _ids(state.get("bad")),
        }
        if seen is not None:
            state["seen"] = seen
    floor = _time(state.get("f"), floor)
    queue: list[Any] = list(state["q"]) if isinstance(state.get("q"), list) else []
    marks: dict[str, Any] = state["marks"] if isinstance(state.get("marks"), dict) else {}
    current: Any = state.get("cur")
    token = state.get("tok") if isinstance(state.get("tok"), str) else None
    stored_ties = state.get("ties")
    ties = stored_ties if isinstance(stored_ties, int) else 0
    building = Mark.load(state.get("nm")) or Mark()
    emitted: list[FetchedComment] = []
    seen_new = False  # the council's own new replies move the marks without being emitted

    while True:
        if current is None:
            if not queue:
                break
            current, token, ties, building = queue.pop(0), None, 0, Mark()
        post = _post_from_ref(current)
        if post is None:
            current = None
            continue
        previous = Mark.load(marks.get(post.platform_id))
        since = parse_datetime(previous.newest) if previous and previous.newest else floor
        try:
            batch = source.list_comments(post, token, since)
        except ValueError as error:  # an unusable post id or a malformed answer: skip the post
            problems.append(
                f"{label}: comments of post {shorten(post.platform_id, 80)} skipped: "
                f"{clean_text(str(error))[:300]}"
            )
            current = None
            continue
        problems.extend(batch.problems)
        for comment in batch.comments:
            key = iso(comment.created_at)
            if previous is None:
                new = comment.created_at >= floor
            else:
                new = previous.is_new(key, comment.platform_id, ties)
                ties += key == previous.newest
            seen_new = seen_new or new
            if new and not source.is_own(comment):
                emitted.append(comment)
            building.note(key, comment.platform_id)
        token = batch.next_token
        if token is None:
            if building.newest and (previous is None or building.newest >= previous.newest):
                marks[post.platform_id] = building.dump()
            current = None
        if emitted:
            break

    fresh, bad = _fresh(problems, state)
    if current is not None or queue:
        state.update(q=queue, cur=current, tok=token, ties=ties, nm=building.dump(), bad=bad)
        return Page(tuple(emitted), encode_cursor(kind, state), tuple(fresh))
    between: dict[str, Any] = {"marks": marks, "bad": bad}
    if isinstance(state.get("seen"), dict):
        between["seen"] = state["seen"]
    if emitted or seen_new or fresh or first_run or not between_sweeps:
        return Page(tuple(emitted), encode_cursor(kind, between), tuple(fresh))
    return Page((), None, ())


def _posts_to_read(
    source: PostSource,
    posts: list[FetchedPost],
    stored: Any,
    now: datetime,
    problems: list[str],
) -> tuple[list[FetchedPost], dict[str, list[str]] | None]:
    """The posts whose comments must be read in this sweep, and what to remember of each.

    Where the platform gives a cheap per-post signature (LinkedIn's comment count), a post
    already read whose signature is unchanged is skipped, unless it was last read more than
    `REREAD_AFTER` ago: a deleted comment and a new one leave a count unchanged.
    """
    try:
        signatures = source.comment_signatures(posts) if posts else None
    except ValueError as error:
        problems.append(f"comment counts unavailable, every post read: {clean_text(str(error))}")
        signatures = None
    if signatures is None:
        return posts, None
    previous: dict[str, Any] = stored if isinstance(stored, dict) else {}
    seen: dict[str, list[str]] = {}
    to_read: list[FetchedPost] = []
    for post in posts:
        signature = signatures.get(post.platform_id, "")
        stored_pair: Any = previous.get(post.platform_id)
        before: list[str] = [str(v) for v in stored_pair] if _pair(stored_pair) else ["", ""]
        last_read = _time(before[1], now - REREAD_AFTER) if before[1] else None
        fresh = (
            signature
            and before[0] == signature
            and last_read is not None
            and now - last_read < REREAD_AFTER
        )
        if fresh:
            seen[post.platform_id] = before
        else:
            to_read.append(post)
            seen[post.platform_id] = [signature, iso(now)]
    return to_read, seen


def _pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _list_recent_posts(
    source: PostSource, since: datetime, max_posts: int, problems: list[str]
) -> list[FetchedPost]:
    posts: dict[str, FetchedPost] = {}
    token: str | None = None
    for _ in range(MAX_POST_PAGES):
        try:
            batch = source.list_posts(token, since)
        except ValueError as error:
            problems.append(f"listing posts stopped: {clean_text(str(error))[:300]}")
            break
        problems.extend(batch.problems)
        for post in batch.posts:
            if post.created_at is None or post.created_at >= since:
                posts.setdefault(post.platform_id, post)
        token = batch.next_token
        if token is None or len(posts) >= max_posts:
            break
    return list(posts.values())[:max_posts]


# --- stream sweep --------------------------------------------------------------------------


@dataclass
class StreamItem:
    key: str  # sorts as text in the stream's order: a fixed-width time or a zero-padded id
    item_id: str
    created_at: datetime
    comments: list[FetchedComment]


@dataclass
class StreamBatch:
    items: list[StreamItem]  # newest first
    next_token: str | None
    problems: list[str] = field(default_factory=list)


class StreamSource(Protocol):
    def list_stream(
        self, token: str | None, since_key: str | None, since_time: datetime | None
    ) -> StreamBatch:
        """One page, newest first; a source whose platform filters by id uses `since_key`."""
        ...

    def is_own(self, comment: FetchedComment) -> bool:
        """The council's own reply: seen (it moves the watermark) but never reported."""
        ...


def numeric_key(identifier: str) -> str:
    """A decimal id (X, Mastodon) zero-padded so that text order is numeric order."""
    if not identifier.isdigit() or len(identifier) > 40:
        raise ValueError(f"id {shorten(identifier, 60)!r} is not a decimal number")
    return identifier.zfill(40)


def unpad(key: str) -> str:
    return key.lstrip("0") or "0"


def sweep_stream(
    source: StreamSource,
    cursor: str | None,
    *,
    kind: str,
    label: str,
    now: datetime,
    backfill_days: int,
) -> Page:
    state, note = decode_cursor(cursor, kind, label)
    problems = [note] if note else []
    first_run = state is None
    between_sweeps = state is not None and "p" not in state
    if state is None:
        state = {"w": None, "fence": [], "cut": iso(now - timedelta(days=backfill_days))}
    watermark = state.get("w") if isinstance(state.get("w"), str) else None
    fence = set(_ids(state.get("fence")))
    cut = _time(state.get("cut"), now - timedelta(days=backfill_days)) if not watermark else None
    top = state.get("top") if isinstance(state.get("top"), str) else None
    new_fence = _ids(state.get("nf"))
    token = state.get("p") if isinstance(state.get("p"), str) else None

    emitted: list[FetchedComment] = []
    reached_old = False
    for _ in range(MAX_QUIET_PAGES):
        batch = source.list_stream(token, watermark, cut)
        problems.extend(batch.problems)
        for item in batch.items:
            if item.item_id in fence or (watermark is not None and item.key < watermark):
                reached_old = True
                break
            if cut is not None and item.created_at < cut:
                reached_old = True
                break
            if top is None or item.key > top:
                top = item.key
            if len(new_fence) < FENCE_SIZE:
                new_fence.append(item.item_id)
            emitted.extend(c for c in item.comments if not source.is_own(c))
        token = batch.next_token
        if emitted or reached_old or not token:
            break

    fresh, bad = _fresh(problems, state)
    if token and not reached_old:
        middle = {
            "w": watermark,
            "fence": sorted(fence),
            "cut": state.get("cut") if cut else None,
            "p": token,
            "top": top,
            "nf": new_fence,
            "bad": bad,
        }
        return Page(tuple(emitted), encode_cursor(kind, middle), tuple(fresh))

    between: dict[str, Any]
    if top is None:
        between = {"w": watermark, "fence": sorted(fence), "cut": state.get("cut") if cut else None}
    else:
        between = {"w": max(top, watermark or ""), "fence": new_fence, "cut": None}
    between["bad"] = bad
    if emitted or top is not None or fresh or first_run or not between_sweeps:
        return Page(tuple(emitted), encode_cursor(kind, between), tuple(fresh))
    return Page((), None, ())
