"""YouTube: comments on the council's channel and videos, through the Data API v3.

Credentials: `access_token` (OAuth 2.0 user token with scope
`https://www.googleapis.com/auth/youtube.force-ssl`, for the channel's owner). `account_id` is
the channel id (`UC…`). With a `refresh_token`, `client_id` and `client_secret` too, an expired
access token is refreshed (see `oauth.py`).

Listing: a stream sweep over `GET /commentThreads?allThreadsRelatedToChannelId=…&order=time`
(newest first, `part=snippet,replies`, `textFormat=plainText`, `pageToken`). Each thread gives its
top-level comment and its replies; when `totalReplyCount` is larger than the replies embedded,
`GET /comments?parentId=…` fetches the rest. Besides the published comments, two more streams
list what YouTube itself holds back (`moderationStatus=heldForReview` and `likelySpam`): those
comments carry `platform_status` and are not public until approved. The channel's own comments
are left out. A reply
added later to a thread older than the watermark is not seen by polling (YouTube has no comment
webhooks); the next backfill picks it up. Permalinks are the `watch?v=…&lc=…` convention.

Actions, all `POST /comments/setModerationStatus` (204, no body), as YouTube offers no delete
for other people's comments:
- hide → `heldForReview` (reversible), unhide → `published`;
- approve → `published` and reject → `rejected`, for comments YouTube held;
- remove → `rejected`: permanent (a rejected comment cannot be published again) and it hides
  the comment's replies too;
- block → `rejected` + `banAuthor=true`: rejects this comment and auto-rejects the author's
  future comments on the channel. There is no API to lift the ban.
Reply: `POST /comments?part=snippet` with `parentId` (replies are one level deep, so a reply to
a reply goes to its thread). Quota: listing costs 1 unit a page, each action 50 of the 10,000 a
day; `quotaExceeded` is transient, retried after the next midnight Pacific time.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from moderation.connectors.base import (
    ActionResult,
    ActionTarget,
    Capabilities,
    FetchedAuthor,
    FetchedComment,
    FetchedPost,
    Page,
    Quarantined,
    quarantine,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.oauth import OAuthConnector
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    dig,
    iso,
    limit_text,
    optional_id,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
)
from moderation.connectors.sweep import StreamBatch, StreamItem, sweep_stream

DEFAULT_BASE_URL = "https://www.googleapis.com"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
API_PATH = "/youtube/v3"
MAX_REPLY_PAGES = 10
# The published stream first (its cursor kind is the one stored before held comments were read).
STREAMS = ("published", "heldForReview", "likelySpam")
TRANSIENT_REASONS = frozenset(
    {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "backendError"}
)

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    remove=True,
    reply=True,
    block=True,
    unblock=False,
    webhooks=False,
    approve=True,
    reject=True,
    labels={"remove": "Reject permanently", "approve": "Approve (publish)"},
    notice=True,
    notes={
        "hide": "Holds the comment for review ('heldForReview'): hidden from the public until "
        "published again.",
        "unhide": "Publishes a held comment again. A rejected (removed) comment cannot be "
        "published again.",
        "remove": "YouTube does not let the channel delete other people's comments: this "
        "rejects it instead, which is permanent and also hides its replies.",
        "reply": "Replies as the channel, in the comment's thread.",
        "block": "Rejects this comment and bans its author from commenting on the channel "
        "(their future comments are rejected automatically).",
        "unblock": "YouTube's API cannot lift a ban: do it in YouTube Studio (Settings → "
        "Community → Hidden users).",
        "webhooks": "YouTube has no push notifications for comments; the channel is polled.",
        "approve": "Publishes a comment YouTube held for review or as likely spam.",
        "reject": "Rejects a comment YouTube held: permanent, it cannot be published again.",
        "mute": "YouTube's API has no mute: hide the comment, or ban the author (block).",
        "report": "YouTube's API has no way to report a comment: report it on YouTube.",
        "notice": "Posted as the channel in the removed reply's thread, or as a new comment "
        "thread on the video.",
        "detach_quote": "YouTube has no quote posts to detach.",
    },
)


class YouTubeConnector(OAuthConnector):
    platform = "youtube"
    label = "YouTube"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 100

    _status = "published"  # the stream being listed (see fetch_comments)

    def token_url(self) -> str:
        # Google's tokens come from their own host; a channel on another address (the
        # emulator) has its token endpoint under that address.
        if self.base_url == DEFAULT_BASE_URL:
            return GOOGLE_TOKEN_URL
        return self.base_url + "/token"

    def fetch_comments(self, cursor: str | None) -> Page:
        """One page from the first of the three streams with something new."""
        cursors = _stream_cursors(cursor)
        changed = cursors.pop("", None) is not None
        for status in STREAMS:
            self._status = status
            page = sweep_stream(
                self,
                cursors.get(status),
                kind="youtube-threads" if status == "published" else f"youtube-{status}",
                label=self.label,
                now=self.clock(),
                backfill_days=self.config.backfill_days,
            )
            if page.next_cursor is not None:
                cursors[status] = page.next_cursor
                changed = True
            if page.comments or page.problems:
                # Everything else the page says (quarantined items, reads) goes with it.
                return replace(page, next_cursor=json.dumps(cursors))
        return Page((), json.dumps(cursors) if changed else None)

    def own_ids(self) -> frozenset[str]:
        return frozenset({self.config.account_id})

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        return parse_google_error(response, self.clock())

    # --- listing (StreamSource) ----------------------------------------------------------

    def list_stream(
        self, token: str | None, since_key: str | None, since_time: datetime | None
    ) -> StreamBatch:
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.config.account_id,
            "order": "time",
            "textFormat": "plainText",
            "maxResults": self.page_size,
        }
        if self._status != "published":
            params["moderationStatus"] = self._status
        if token:
            params["pageToken"] = token
        body = self.call_json("GET", f"{API_PATH}/commentThreads", params=params)
        items: list[StreamItem] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        threads = body.get("items")
        for thread in threads if isinstance(threads, list) else []:
            try:
                items.append(self._thread(thread, problems, quarantined))
            except ValueError as error:
                quarantined.append(quarantine("YouTube comment thread", thread, error))
        token = body.get("nextPageToken")
        token = token if isinstance(token, str) and token else None
        return StreamBatch(items, token, problems, quarantined)

    def _thread(
        self, thread: Any, problems: list[str], quarantined: list[Quarantined]
    ) -> StreamItem:
        top = dig(thread, "snippet", "topLevelComment")
        if not isinstance(top, dict):
            raise ValueError("no topLevelComment")
        held = "" if self._status == "published" else self._status
        first = replace(_comment(top, "", problems), platform_status=held)
        comments = [first]
        embedded = dig(thread, "replies", "comments")
        replies = embedded if isinstance(embedded, list) else []
        total = dig(thread, "snippet", "totalReplyCount")
        if isinstance(total, int) and total > len(replies):
            replies = self._all_replies(first.platform_id, problems)
        for reply in replies:
            try:
                comments.append(_comment(reply, first.platform_id, problems))
            except ValueError as error:
                quarantined.append(quarantine("YouTube reply", reply, error))
        return StreamItem(iso(first.created_at), first.platform_id, first.created_at, comments)

    def _all_replies(self, parent_id: str, problems: list[str]) -> list[Any]:
        replies: list[Any] = []
        token: str | None = None
        for _ in range(MAX_REPLY_PAGES):
            params: dict[str, Any] = {
                "part": "snippet",
                "parentId": parent_id,
                "textFormat": "plainText",
                "maxResults": 100,
            }
            if token:
                params["pageToken"] = token
            body = self.call_json("GET", f"{API_PATH}/comments", params=params)
            page = body.get("items")
            replies.extend(page if isinstance(page, list) else [])
            next_token = body.get("nextPageToken")
            if not isinstance(next_token, str) or not next_token:
                break
            token = next_token
        else:
            problems.append(
                f"YouTube thread {parent_id}: more than {len(replies)} replies; "
                "the rest are left for the next backfill"
            )
        return replies

    # --- actions -------------------------------------------------------------------------

    def _set_status(self, target: ActionTarget, status: str, *, ban: bool = False) -> ActionResult:
        if "," in target.comment_platform_id:
            # The endpoint takes a comma-separated list: one id must not moderate several.
            raise PermanentError("YouTube: a comment id cannot contain a comma", code="invalid_id")
        params = {"id": target.comment_platform_id, "moderationStatus": status}
        if ban:
            params["banAuthor"] = "true"
        self.call("POST", f"{API_PATH}/comments/setModerationStatus", params=params)
        return ActionResult(ok=True, platform_response={"moderationStatus": status, "ban": ban})

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._set_status(target, "heldForReview")

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._set_status(target, "published")

    def _remove(self, target: ActionTarget) -> ActionResult:
        return self._set_status(target, "rejected")

    def _block(self, target: ActionTarget) -> ActionResult:
        return self._set_status(target, "rejected", ban=True)

    def _approve(self, target: ActionTarget) -> ActionResult:
        return self._set_status(target, "published")

    def _reject(self, target: ActionTarget) -> ActionResult:
        return self._set_status(target, "rejected")

    def _notice(self, target: ActionTarget) -> ActionResult:
        """In the removed reply's thread; for a removed top-level comment, a new thread on the
        video (commentThreads.insert), since its own thread went with it."""
        if target.parent_platform_id:
            return super()._notice(target)
        video = self.segment(target.post_platform_id, "video id")
        body = self.call_json(
            "POST",
            f"{API_PATH}/commentThreads",
            params={"part": "snippet"},
            json={
                "snippet": {
                    "videoId": video,
                    "topLevelComment": {"snippet": {"textOriginal": target.text}},
                }
            },
            idempotent=False,
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))

    def _reply(self, target: ActionTarget) -> ActionResult:
        thread = target.parent_platform_id or target.comment_platform_id
        body = self.call_json(
            "POST",
            f"{API_PATH}/comments",
            params={"part": "snippet"},
            json={"snippet": {"parentId": thread, "textOriginal": target.text}},
            idempotent=False,
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))


def _stream_cursors(cursor: str | None) -> dict[str, str]:
    """Each stream's cursor; a cursor stored before held comments were read is the published
    stream's (it is then rewritten, marked by the "" key)."""
    if not cursor:
        return {}
    try:
        stored = json.loads(cursor)
    except (ValueError, RecursionError):
        return {"published": cursor}
    if isinstance(stored, dict) and stored.get("kind") == "youtube-threads":
        return {"published": cursor, "": ""}
    if not isinstance(stored, dict):
        return {"published": cursor}
    return {k: v for k, v in stored.items() if k in STREAMS and isinstance(v, str)}


def parse_google_error(response: HttpResponse, now: datetime) -> PlatformError | None:
    if response.ok:
        return None
    body = response.json_or_none()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return PlatformError(f"YouTube: HTTP {response.status}")
    details = error.get("errors")
    first = details[0] if isinstance(details, list) and details else {}
    reason = str(dig(first, "reason") or error.get("status") or "")
    message = clean_text(str(error.get("message") or dig(first, "message") or "unknown error"))
    retry_after = _seconds_to_pacific_midnight(now) if reason == "quotaExceeded" else None
    return PlatformError(
        message=f"YouTube: {message[:500]}" + (f" ({reason})" if reason else ""),
        code=reason,
        transient=reason in TRANSIENT_REASONS,
        retry_after=retry_after,
    )


def _seconds_to_pacific_midnight(now: datetime) -> float:
    # The daily quota resets at midnight Pacific time.
    try:
        pacific = ZoneInfo("America/Los_Angeles")
    except Exception:  # no tz database: an hour is a safe guess
        return 3600.0
    local = now.astimezone(pacific)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60.0, (midnight - local).total_seconds())


def _comment(item: Any, parent_id: str, problems: list[str]) -> FetchedComment:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    comment_id = require_id(item.get("id"), "comment id")
    snippet = item.get("snippet")
    if not isinstance(snippet, dict):
        raise ValueError("no snippet")
    video_id = optional_id(snippet.get("videoId"), "video id")
    channel_id = optional_id(snippet.get("channelId"), "channel id")
    display = text_at(snippet, "authorDisplayName")
    text = text_at(snippet, "textOriginal") or text_at(snippet, "textDisplay")
    post: FetchedPost | None
    if video_id:
        link = f"https://www.youtube.com/watch?v={quote(video_id)}&lc={quote(comment_id)}"
        post = FetchedPost(video_id, "", safe_permalink(link), None)
    else:  # a comment on the channel itself rather than on a video
        link = f"https://www.youtube.com/channel/{quote(channel_id)}"
        post = FetchedPost(channel_id, "", safe_permalink(link), None) if channel_id else None
    return FetchedComment(
        platform_id=comment_id,
        post_platform_id=video_id or channel_id,
        parent_platform_id=optional_id(snippet.get("parentId"), "parent id") or parent_id,
        author=FetchedAuthor(
            platform_id=optional_id(dig(snippet, "authorChannelId", "value"), "author id"),
            handle=display if display.startswith("@") else "",
            display_name=display,
        ),
        text=limit_text(text, f"YouTube comment {comment_id}", problems),
        created_at=parse_datetime(snippet.get("publishedAt")),
        permalink=safe_permalink(link),
        raw=clean_raw(item),
        post=post,
    )
