"""LinkedIn: comments on the council's organisation posts, through the Community Management API.

LinkedIn publishes no machine-readable definition of this API (no OpenAPI, no Rest.li IDL in any
public repository): everything here is from Microsoft Learn's pages and is unverified by a
contract test.

Credentials: `access_token` (3-legged member token; the member must be an ADMINISTRATOR of the
page). The Comments API pages name two generations of permissions: `r_organization_social_feed`
/ `w_organization_social_feed` (current) and `r_organization_social` / `w_organization_social`
(older apps); `SCOPES` lists the current ones. `account_id` is the organisation id or URN.

Version: every call sends `LinkedIn-Version: YYYYMM`. LinkedIn supports each monthly version for
about a year and then answers HTTP 426 to every call that names it. The version comes from
`ChannelConfig.api_version` (the deployment's `LINKEDIN_API_VERSION` setting), else
`DEFAULT_VERSION`; `VERSION_SUNSETS` lists the versions known here with their sunset dates, and a
test fails once the default is within 90 days of its sunset. A 426 is explained in words an
admin can act on.

Listing: a per-post sweep: `GET /rest/posts?q=author&author={org URN}&sortBy=CREATED` for recent
posts, then `GET /rest/socialActions/{post URN}/comments` (`start`, `count`) for each, and
`GET /rest/socialActions/{comment URN}/comments` for the comments on a comment (they are not
listed under the post). There is no `since` filter, so a poll first reads the posts' social-action
summaries in one batch call (`GET /rest/socialActions?ids=List(…)`, `commentsSummary`
`aggregatedTotalComments`) and reads only the posts whose count moved, plus any post not read for
`REREAD_AFTER` (a deleted and a new comment leave the count unchanged). Element fields come from
third-party fixtures (UNVERIFIED). Authors are person or organisation URNs; names need a profile
lookup and are left empty. The organisation's own comments are left out.

Actions: reply `POST /rest/socialActions/{URN}/comments` with `actor`, `object`, `message` and,
under a comment, `parentComment` (the 201 answer's details are UNVERIFIED: the id is read from
the body or the `x-restli-id` header). LinkedIn has no hide or block. Whether an organisation
admin may delete other people's comments is UNVERIFIED, so delete is not offered until tested.
Webhooks (`ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS`, signed in `X-LI-Signature` with a
string-to-sign that is UNVERIFIED) need an approved use case and are not implemented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
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
# The versions known here and when LinkedIn stops serving them. LinkedIn supports each version
# "for a minimum of one year"; where its pages name a sunset date it is used (202508: 17 August
# 2026), otherwise the 15th of the month a year after release. 202607 is the version named
# current by the Marketing versioning page as indexed in August 2026 (a secondary copy; the
# stored Learn pages stop at 202603): check the Learn versioning page when moving it on.
VERSION_SUNSETS: dict[str, dt.date] = {
    "202506": dt.date(2026, 6, 15),
    "202507": dt.date(2026, 7, 15),
    "202508": dt.date(2026, 8, 17),
    "202510": dt.date(2026, 10, 15),
    "202511": dt.date(2026, 11, 15),
    "202601": dt.date(2027, 1, 15),
    "202603": dt.date(2027, 3, 15),
    "202607": dt.date(2027, 7, 15),
}
DEFAULT_VERSION = "202607"
SCOPES = ("r_organization_social_feed", "w_organization_social_feed")
TRANSIENT_CODES = frozenset({"TOO_MANY_REQUESTS", "THROTTLED"})
VERSION_CODES = frozenset({"NONEXISTENT_VERSION", "VERSION_MISSING", "VERSION_DEPRECATED"})
MAX_NESTED_PAGES = 10
SUMMARY_BATCH = 20

CAPABILITIES = Capabilities(
    hide=False,
    unhide=False,
    remove=False,
    reply=True,
    block=False,
    unblock=False,
    webhooks=False,
    notice=True,
    notes={
        "hide": "LinkedIn's API has no way to hide a comment: remove it in the LinkedIn page "
        "admin view.",
        "unhide": "LinkedIn's API has no way to hide or unhide comments.",
        "remove": "Whether LinkedIn lets a page delete other people's comments through the API "
        "is unverified: delete it in the LinkedIn page admin view.",
        "reply": "Replies as the organisation, under the comment.",
        "block": "LinkedIn's API has no way to block a member: do it on LinkedIn.",
        "unblock": "LinkedIn's API has no way to unblock a member: do it on LinkedIn.",
        "webhooks": "LinkedIn's social-action webhooks need an approved use case; the page is "
        "polled.",
        "approve": "LinkedIn does not hold comments for approval through the API.",
        "reject": "LinkedIn does not hold comments for approval through the API.",
        "mute": "LinkedIn's API has no mute.",
        "report": "LinkedIn's API has no way to report a comment: report it on LinkedIn.",
        "notice": "Posted as the organisation under the removed reply's parent comment, or on "
        "the post.",
        "detach_quote": "LinkedIn has no way to detach a repost from the council's post.",
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

    @property
    def version(self) -> str:
        return (
            self.config.api_version or self.config.credentials.get("api_version") or DEFAULT_VERSION
        )

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.access_token()}",
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def own_ids(self) -> frozenset[str]:
        return frozenset({self.organisation})

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
        if response.status == 426 or code in VERSION_CODES:
            return PlatformError(
                message=f"LinkedIn no longer accepts API version {self.version}: it retires each "
                "monthly version about a year after its release. Set LINKEDIN_API_VERSION to a "
                f"current version (this release knows {DEFAULT_VERSION}) and restart. "
                f"LinkedIn said: {message[:300]}" + (f" ({code})" if code else ""),
                code=code or "426",
            )
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
                comment = _comment(item, post, problems)
            except ValueError as error:
                quarantined.append(quarantine("LinkedIn comment", item, error))
                continue
            comments.append(comment)
            if _may_have_replies(item):
                comments.extend(self._replies(comment, post, problems, quarantined))
        return CommentBatch(
            comments,
            _next_start(body, start, self.page_size, len(elements)),
            problems,
            quarantined,
        )

    def _replies(
        self,
        parent: FetchedComment,
        post: FetchedPost,
        problems: list[str],
        quarantined: list[Quarantined],
    ) -> list[FetchedComment]:
        """The comments on a comment: listed only under the comment's own URN."""
        urn = path_segment(parent.platform_id, "comment URN")
        replies: list[FetchedComment] = []
        start = 0
        for _ in range(MAX_NESTED_PAGES):
            body = self.call_json(
                "GET",
                f"/rest/socialActions/{urn}/comments",
                params={"start": start, "count": self.page_size},
            )
            elements = _elements(body)
            for item in elements:
                try:
                    reply = _comment(item, post, problems)
                except ValueError as error:
                    quarantined.append(quarantine("LinkedIn reply", item, error))
                    continue
                if not reply.parent_platform_id:
                    reply = replace(reply, parent_platform_id=parent.platform_id)
                replies.append(reply)
            following = _next_start(body, start, self.page_size, len(elements))
            if following is None:
                break
            start = int(following)
        return replies

    def comment_signatures(self, posts: list[FetchedPost]) -> dict[str, str] | None:
        """Each post's comment count, from one batch read of the posts' social-action summaries:
        a post whose count has not moved need not be read again."""
        signatures: dict[str, str] = {}
        for offset in range(0, len(posts), SUMMARY_BATCH):
            chunk = [p.platform_id for p in posts[offset : offset + SUMMARY_BATCH]]
            ids = ",".join(quote(urn, safe="") for urn in chunk)
            body = self.call_json("GET", f"/rest/socialActions?ids=List({ids})")
            results = body.get("results")
            for urn, summary in (results if isinstance(results, dict) else {}).items():
                count = dig(summary, "commentsSummary", "aggregatedTotalComments")
                if isinstance(count, int) and not isinstance(count, bool):
                    signatures[str(urn)] = str(count)
        return signatures

    # --- actions -------------------------------------------------------------------------

    def _notice(self, target: ActionTarget) -> ActionResult:
        """Under the removed reply's parent comment; else a comment on the post itself."""
        if target.parent_platform_id:
            return super()._notice(target)
        return self._comment_on(target.post_platform_id, target, parent="")

    def _reply(self, target: ActionTarget) -> ActionResult:
        return self._comment_on(
            target.comment_platform_id, target, parent=target.comment_platform_id
        )

    def _comment_on(self, urn: str, target: ActionTarget, *, parent: str) -> ActionResult:
        under = self.segment(urn, "comment URN" if parent else "post URN")
        payload: dict[str, Any] = {
            "actor": self.organisation,
            "object": target.post_platform_id,
            "message": {"text": target.text},
        }
        if parent:
            payload["parentComment"] = parent
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


def _may_have_replies(item: Any) -> bool:
    """False only when the comment's own summary says nobody has answered it."""
    summary = dig(item, "commentsSummary")
    if not isinstance(summary, dict):
        return True
    counts = [summary.get("aggregatedTotalComments"), summary.get("totalFirstLevelComments")]
    numbers = [c for c in counts if isinstance(c, int) and not isinstance(c, bool)]
    return not numbers or max(numbers) > 0


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
