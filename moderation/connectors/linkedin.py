"""LinkedIn: comments on the council's organisation posts, through the Community Management API.

Credentials: `access_token` (3-legged member token with `r_organization_social_feed` and
`w_organization_social_feed`; the member must be an ADMINISTRATOR of the page), optionally
`api_version` (the `LinkedIn-Version` header, `YYYYMM`; LinkedIn retires versions after about a
year). `account_id` is the organisation id or URN (`urn:li:organization:…`).

Listing: a per-post sweep: `GET /rest/posts?q=author&author={org URN}&sortBy=CREATED` (the Posts
API; not in the reference: UNVERIFIED) for recent posts, then
`GET /rest/socialActions/{post URN}/comments` (`start`, `count`) for each. There is no `since`
filter and the order is not documented, so old comments are filtered here. Element fields come
from third-party fixtures (UNVERIFIED). Nested replies are listed only as far as LinkedIn
includes them in the post's comments; `GET /socialActions/{comment URN}/comments` is not walked.
Authors are person or organisation URNs; names need a profile lookup and are left empty.

Actions: reply `POST /rest/socialActions/{URN}/comments` with `actor`, `object`, `message` and,
under a comment, `parentComment` (the 201 answer's details are UNVERIFIED: the id is read from
the body or the `x-restli-id` header). LinkedIn has no hide or block. Whether an organisation
admin may delete other people's comments is UNVERIFIED, so delete is not offered until tested.
Webhooks (`ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS`, signed in `X-LI-Signature` with a
string-to-sign that is UNVERIFIED) need an approved use case and are not implemented.
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
    Quarantined,
    quarantine,
)
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    describe,
    dig,
    limit_text,
    optional_id,
    parse_datetime,
    path_segment,
    require_id,
    safe_permalink,
    text_at,
)
from moderation.connectors.sweep import CommentBatch, PostBatch, sweep_posts

DEFAULT_BASE_URL = "https://api.linkedin.com"
DEFAULT_VERSION = "202506"
TRANSIENT_CODES = frozenset({"TOO_MANY_REQUESTS", "THROTTLED"})

CAPABILITIES = Capabilities(
    hide=False,
    unhide=False,
    delete=False,
    reply=True,
    block=False,
    unblock=False,
    webhooks=False,
    notes={
        "hide": "LinkedIn's API has no way to hide a comment: remove it in the LinkedIn page "
        "admin view.",
        "unhide": "LinkedIn's API has no way to hide or unhide comments.",
        "delete": "Whether LinkedIn lets a page delete other people's comments through the API "
        "is unverified: delete it in the LinkedIn page admin view.",
        "reply": "Replies as the organisation, under the comment.",
        "block": "LinkedIn's API has no way to block a member: do it on LinkedIn.",
        "unblock": "LinkedIn's API has no way to unblock a member: do it on LinkedIn.",
        "webhooks": "LinkedIn's social-action webhooks need an approved use case; the page is "
        "polled.",
    },
)


class LinkedInConnector(BaseConnector):
    platform = "linkedin"
    label = "LinkedIn"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 100

    @property
    def organisation(self) -> str:
        account = self.config.account_id.strip()
        return f"urn:li:organization:{account}" if account.isdigit() else account

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.access_token()}",
            "LinkedIn-Version": self.config.credentials.get("api_version") or DEFAULT_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def fetch_comments(self, cursor: str | None) -> Page:
        return sweep_posts(
            self,
            cursor,
            kind="linkedin-posts",
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
        )

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        if response.ok:
            return None
        body = response.json_or_none()
        if not isinstance(body, dict):
            return PlatformError(f"LinkedIn: HTTP {response.status}")
        code = clean_text(str(body.get("code") or body.get("serviceErrorCode") or ""))
        message = clean_text(str(body.get("message") or f"HTTP {response.status}"))
        return PlatformError(
            message=f"LinkedIn: {message[:500]}" + (f" ({code})" if code else ""),
            code=code,
            transient=code in TRANSIENT_CODES,
        )

    # --- listing (PostSource) ------------------------------------------------------------

    def list_posts(self, token: str | None, since: datetime) -> PostBatch:
        start = int(token) if token and token.isdigit() else 0
        count = 25
        body = self.call_json(
            "GET",
            "/rest/posts",
            params={
                "q": "author",
                "author": self.organisation,
                "sortBy": "CREATED",
                "start": start,
                "count": count,
            },
        )
        posts: list[FetchedPost] = []
        problems: list[str] = []
        elements = _elements(body)
        reached_older = False
        for item in elements:
            try:
                post = _post(item)
            except ValueError as error:
                problems.append(describe("LinkedIn post", item, error))
                continue
            if post.created_at is not None and post.created_at < since:
                reached_older = True
                break
            posts.append(post)
        next_start = None if reached_older else _next_start(body, start, count, len(elements))
        return PostBatch(posts, next_start, problems)

    def list_comments(self, post: FetchedPost, token: str | None, since: datetime) -> CommentBatch:
        start = int(token) if token and token.isdigit() else 0
        urn = path_segment(post.platform_id, "post URN")
        body = self.call_json(
            "GET",
            f"/rest/socialActions/{urn}/comments",
            params={"start": start, "count": self.page_size},
        )
        comments: list[FetchedComment] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        elements = _elements(body)
        for item in elements:
            try:
                comments.append(_comment(item, post, problems))
            except ValueError as error:
                quarantined.append(quarantine("LinkedIn comment", item, error))
        return CommentBatch(
            comments,
            _next_start(body, start, self.page_size, len(elements)),
            problems,
            quarantined,
        )

    # --- actions -------------------------------------------------------------------------

    def _reply(self, target: ActionTarget) -> ActionResult:
        under = self.segment(target.comment_platform_id, "comment URN")
        payload: dict[str, Any] = {
            "actor": self.organisation,
            "object": target.post_platform_id,
            "message": {"text": target.text},
            "parentComment": target.comment_platform_id,
        }
        response = self.call(
            "POST", f"/rest/socialActions/{under}/comments", json=payload, idempotent=False
        )
        body = response.json_or_none()
        body = body if isinstance(body, dict) else {}
        created = (
            body.get("commentUrn")
            or body.get("$URN")
            or body.get("id")
            or response.headers.get("x-restli-id", "")
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(created))


def _elements(body: dict[str, Any]) -> list[Any]:
    elements = body.get("elements")
    if elements is None:
        return []
    if not isinstance(elements, list):
        raise ValueError("LinkedIn answered with 'elements' that is not a list")
    return elements


def _next_start(body: dict[str, Any], start: int, count: int, received: int) -> str | None:
    total = dig(body, "paging", "total")
    if isinstance(total, int) and not isinstance(total, bool):
        return str(start + received) if received and start + received < total else None
    return str(start + received) if received >= count else None


def _post(item: Any) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    urn = require_id(item.get("id"), "post URN")
    created = item.get("createdAt") or item.get("publishedAt")
    return FetchedPost(
        platform_id=urn,
        text=text_at(item, "commentary"),
        permalink=safe_permalink(f"https://www.linkedin.com/feed/update/{quote(urn, safe=':')}"),
        created_at=parse_datetime(created) if created else None,
    )


def _comment(item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    urn = require_id(item.get("commentUrn") or item.get("$URN"), "comment URN")
    actor = optional_id(item.get("actor"), "actor URN")
    return FetchedComment(
        platform_id=urn,
        post_platform_id=post.platform_id,
        parent_platform_id=optional_id(item.get("parentComment"), "parent comment URN"),
        author=FetchedAuthor(platform_id=actor, handle="", display_name=""),
        text=limit_text(text_at(item, "message", "text"), f"LinkedIn comment {urn}", problems),
        created_at=parse_datetime(dig(item, "created", "time")),
        permalink=post.permalink,
        raw=clean_raw(item),
        post=post,
    )
