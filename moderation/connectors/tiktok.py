"""TikTok: comments on the council's videos, through the API for Business (Accounts).

UNVERIFIED, all of it. TikTok's official SDK (`tiktok/tiktok-business-api-sdk`) defines comment
endpoints for ads only (`comment/list/`, `comment/status/update/` … with an `advertiser_id`).
The organic Business-account endpoints this module calls are documented only by a community
library, sns-sdks/python-tiktok: the header `Access-Token`, `business/video/list/`,
`business/comment/list/` with `sort_order`, `business/comment/hide/`,
`business/comment/reply/create/` and the token refresh `tt_user/oauth2/refresh_token/`. Treat
every TikTok call as unverified until it has been tried on a real account.

Credentials: `access_token` (a Business account token, sent as `Access-Token`), and to keep it
working `refresh_token`, `client_id` and `client_secret`. `account_id` is the `business_id`.

Tokens: the access token lasts 24 hours, the refresh token about a year (the recorded refresh
answer: `expires_in` 86,400, `refresh_token_expires_in` ≈ 31.5 million). When TikTok answers
code 40102 (access token expired), the connector refreshes once with
`POST tt_user/oauth2/refresh_token/` (JSON `client_id`, `client_secret`,
`grant_type=refresh_token`, `refresh_token`), sends the call again, and hands the new tokens,
with `access_token_expires_at` and `refresh_token_expires_at`, to `on_refresh` (see `oauth.py`).
A refused refresh (40103 refresh token expired, 40107 invalid) means reconnecting the channel.

Errors: every answer is an envelope `{"code", "message", "request_id", "data"}`, usually with HTTP
200: a non-zero `code` is an error (40100 and 61000 "too many requests" and 5xxxx are transient;
the codes are from the official SDK's table).

Listing: a per-post sweep: `GET business/video/list/` for recent videos, then
`GET business/comment/list/` (`include_replies=true`, `status=ALL`, oldest first by
`create_time`, `cursor`, `max_count` ≤ 30) for each. There is no `since` filter, so each poll
reads every comment of each recent video: the cost grows with busy videos. Comments with
`owner: true` are the council's own and are left out.

Actions: hide/unhide `POST business/comment/hide/` (`action` HIDE/UNHIDE); reply
`POST business/comment/reply/create/` (text ≤ 150 characters). Delete works only on the
account's own comments, and there is no block. No comment webhooks were found (UNVERIFIED).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

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
    describe,
    dig,
    iso,
    limit_text,
    optional_id,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
)
from moderation.connectors.sweep import CommentBatch, PostBatch, sweep_posts

DEFAULT_BASE_URL = "https://business-api.tiktok.com"
API_PATH = "/open_api/v1.3/business"
MAX_REPLY_LENGTH = 150
VIDEO_FIELDS = ["item_id", "create_time", "caption", "share_url"]

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    remove=False,
    reply=True,
    block=False,
    unblock=False,
    webhooks=False,
    notice=True,
    notes={
        "hide": "Hides the comment on the council's video.",
        "unhide": "Shows a hidden comment again.",
        "remove": "TikTok only lets an account delete its own comments: hide it instead.",
        "reply": f"Replies as the account; at most {MAX_REPLY_LENGTH} characters.",
        "block": "TikTok's API has no way to block an account: do it in the TikTok app.",
        "unblock": "TikTok's API has no way to unblock an account: do it in the TikTok app.",
        "webhooks": "No TikTok comment webhooks are documented; the account is polled.",
        "approve": "TikTok's organic comment API has no approval queue.",
        "reject": "TikTok's organic comment API has no approval queue: hide the comment instead.",
        "mute": "TikTok's API has no mute: do it in the TikTok app.",
        "report": "TikTok's API has no way to report a comment: report it in the TikTok app.",
        "notice": "Posted as the account under the removed reply's parent comment, or on the "
        "video.",
        "detach_quote": "TikTok has no quote posts to detach.",
    },
)


TOKEN_EXPIRED = "40102"


def _is_transient(code: int) -> bool:
    return code in (40100, 40132, 61000) or 50000 <= code < 60000


class TikTokConnector(OAuthConnector):
    platform = "tiktok"
    label = "TikTok"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 30

    def auth_headers(self) -> dict[str, str]:
        return {"Access-Token": self.access_token()}

    # --- the 24-hour token -----------------------------------------------------------------

    def token_url(self) -> str:
        return f"{self.base_url}/open_api/v1.3/tt_user/oauth2/refresh_token/"

    def token_expired(self, error: PermanentError) -> bool:
        return error.code == TOKEN_EXPIRED

    def can_refresh(self) -> bool:
        credentials = self.credentials
        return all(credentials.get(k) for k in ("refresh_token", "client_id", "client_secret"))

    def _refresh(self) -> None:
        credentials = self.credentials
        response = self.http.request(
            "POST",
            self.token_url(),
            json={
                "client_id": credentials["client_id"],
                "client_secret": credentials["client_secret"],
                "grant_type": "refresh_token",
                "refresh_token": credentials["refresh_token"],
            },
            error_parser=self._refresh_error,
            idempotent=False,  # the refresh token is spent by the first use
        )
        data = dig(response.json(), "data")
        token = dig(data, "access_token")
        if not isinstance(token, str) or not token:
            raise PermanentError(
                "TikTok: the token endpoint answered without an access token; reconnect the "
                "channel in Channels",
                code="no_token",
            )
        refreshed = {**credentials, "access_token": token}
        now = self.clock()
        for key, lifetime, expiry in (
            ("refresh_token", "expires_in", "access_token_expires_at"),
            ("", "refresh_token_expires_in", "refresh_token_expires_at"),
        ):
            seconds = dig(data, lifetime)
            if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
                refreshed[expiry] = iso(now + timedelta(seconds=seconds))
            if key and isinstance(dig(data, key), str) and dig(data, key):
                refreshed[key] = str(dig(data, key))
        self.credentials = refreshed
        if self.config.on_refresh is not None:
            self.config.on_refresh(refreshed)

    def _refresh_error(self, response: HttpResponse) -> PlatformError | None:
        problem = self.error_parser(response)
        if problem is None or problem.transient:
            return problem
        return PlatformError(
            f"{problem.message}: TikTok refused to renew the channel's access token; reconnect "
            "the channel in Channels",
            code=problem.code,
        )

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        body = response.json_or_none()
        code = body.get("code") if isinstance(body, dict) else None
        if response.ok and (code == 0 or not isinstance(code, int) or isinstance(code, bool)):
            return None
        message = body.get("message") if isinstance(body, dict) else None
        text = clean_text(str(message)) if message else f"HTTP {response.status}"
        number = code if isinstance(code, int) and not isinstance(code, bool) else 0
        return PlatformError(
            message=f"TikTok: {text[:500]}" + (f" (code {number})" if number else ""),
            code=str(number) if number else "",
            transient=_is_transient(number),
        )

    def is_own(self, comment: FetchedComment) -> bool:
        # `owner` is true for comments written by the video's owner, the council's account.
        return comment.raw.get("owner") is True or super().is_own(comment)

    def fetch_comments(self, cursor: str | None) -> Page:
        return sweep_posts(
            self,
            cursor,
            kind="tiktok-videos",
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
        )

    def _data(self, method: str, endpoint: str, **kwargs: Any) -> dict[str, Any]:
        body = self.call_json(method, f"{API_PATH}/{endpoint}", **kwargs)
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    # --- listing (PostSource) ------------------------------------------------------------

    def list_posts(self, token: str | None, since: datetime) -> PostBatch:
        params: dict[str, Any] = {
            "business_id": self.config.account_id,
            "fields": json.dumps(VIDEO_FIELDS),
            "max_count": 20,
        }
        if token:
            params["cursor"] = token
        data = self._data("GET", "video/list/", params=params)
        posts: list[FetchedPost] = []
        problems: list[str] = []
        reached_older = False
        videos = data.get("videos")
        for item in videos if isinstance(videos, list) else []:
            try:
                video = _video(item)
            except ValueError as error:
                problems.append(describe("TikTok video", item, error))
                continue
            if video.created_at is not None and video.created_at < since:
                reached_older = True
                break
            posts.append(video)
        return PostBatch(posts, None if reached_older else _next(data), problems)

    def list_comments(self, post: FetchedPost, token: str | None, since: datetime) -> CommentBatch:
        params: dict[str, Any] = {
            "business_id": self.config.account_id,
            "video_id": post.platform_id,
            "include_replies": "true",
            "status": "ALL",
            "sort_field": "create_time",
            "sort_order": "asc",
            "max_count": self.page_size,
        }
        if token:
            params["cursor"] = token
        data = self._data("GET", "comment/list/", params=params)
        comments: list[FetchedComment] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        items = data.get("comments")
        for item in items if isinstance(items, list) else []:
            try:
                comments.append(_comment(item, post, problems))
            except ValueError as error:
                quarantined.append(quarantine("TikTok comment", item, error))
        return CommentBatch(comments, _next(data), problems, quarantined)

    # --- actions -------------------------------------------------------------------------

    def _set_hidden(self, target: ActionTarget, *, hidden: bool) -> ActionResult:
        data = self._data(
            "POST",
            "comment/hide/",
            json={
                "business_id": self.config.account_id,
                "comment_id": target.comment_platform_id,
                "video_id": target.post_platform_id,
                "action": "HIDE" if hidden else "UNHIDE",
            },
        )
        return ActionResult(ok=True, platform_response=data)

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=True)

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=False)

    def _notice(self, target: ActionTarget) -> ActionResult:
        """Under the removed reply's parent comment; else a comment on the video itself
        (`business/comment/create/`, as the sns-sdks client documents it: unverified here)."""
        if target.parent_platform_id:
            return super()._notice(target)
        self._check_length(target.text)
        data = self._data(
            "POST",
            "comment/create/",
            json={
                "business_id": self.config.account_id,
                "video_id": target.post_platform_id,
                "text": target.text,
            },
            idempotent=False,
        )
        return ActionResult(
            ok=True, platform_response=data, platform_id=str(data.get("comment_id", ""))
        )

    @staticmethod
    def _check_length(text: str) -> None:
        if len(text) > MAX_REPLY_LENGTH:
            raise PermanentError(
                f"TikTok replies can be at most {MAX_REPLY_LENGTH} characters; this one has "
                f"{len(text)}",
                code="reply_too_long",
            )

    def _reply(self, target: ActionTarget) -> ActionResult:
        self._check_length(target.text)
        data = self._data(
            "POST",
            "comment/reply/create/",
            json={
                "business_id": self.config.account_id,
                "comment_id": target.comment_platform_id,
                "video_id": target.post_platform_id,
                "text": target.text,
            },
            idempotent=False,
        )
        return ActionResult(
            ok=True, platform_response=data, platform_id=str(data.get("comment_id", ""))
        )


def _next(data: dict[str, Any]) -> str | None:
    cursor = data.get("cursor")
    if data.get("has_more") is not True or cursor in (None, ""):
        return None
    return str(cursor)


def _video(item: Any) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    created = item.get("create_time")
    return FetchedPost(
        platform_id=require_id(item.get("item_id"), "video id"),
        text=text_at(item, "caption"),
        permalink=safe_permalink(item.get("share_url")),
        created_at=parse_datetime(created) if created is not None else None,
    )


def _comment(item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    comment_id = require_id(item.get("comment_id"), "comment id")
    parent = optional_id(item.get("parent_comment_id"), "parent comment id")
    if parent in ("0", comment_id):
        parent = ""
    return FetchedComment(
        platform_id=comment_id,
        post_platform_id=optional_id(item.get("video_id"), "video id") or post.platform_id,
        parent_platform_id=parent,
        author=FetchedAuthor(
            platform_id=optional_id(item.get("unique_identifier"), "author id"),
            handle=text_at(item, "username"),
            display_name="",
        ),
        text=limit_text(text_at(item, "text"), f"TikTok comment {comment_id}", problems),
        created_at=parse_datetime(dig(item, "create_time")),
        permalink=post.permalink,
        raw=clean_raw(item),
        post=post,
    )
