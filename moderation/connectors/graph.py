"""What Facebook, Instagram and Threads share: Meta's Graph API conventions.

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
from datetime import datetime
from typing import Any

from moderation.connectors.base import (
    BaseConnector,
    FetchedComment,
    FetchedPost,
    Page,
    Quarantined,
    quarantine,
)
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.parsing import clean_text, describe, dig, path_segment
from moderation.connectors.sweep import CommentBatch, PostBatch, sweep_posts

THROTTLING_CODES = frozenset(
    {"4", "17", "32", "341", "613"} | {str(code) for code in range(80001, 80015)}
)
TEMPORARY_CODES = frozenset({"1", "2"})  # "unknown error" and "service temporarily unavailable"


class GraphConnector(BaseConnector):
    api_version: str = "v21.0"
    # How each Graph platform names the listing of the account's own posts.
    sweep_kind: str = ""  # the cursor's kind, e.g. "facebook-posts"
    account_noun: str = "account id"
    posts_edge: str = ""  # e.g. "published_posts" (Facebook), "threads" (Threads)
    post_fields: str = ""

    def fetch_comments(self, cursor: str | None) -> Page:
        return sweep_posts(
            self,
            cursor,
            kind=self.sweep_kind,
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
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
