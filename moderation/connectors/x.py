"""X (formerly Twitter): mentions of and replies to the council's account, through API v2.

Credentials: `access_token` (OAuth 2.0 user token with `tweet.read users.read tweet.write
tweet.moderate.write offline.access`). `account_id` is the numeric user id. With a
`refresh_token` and the app's `client_id` (and `client_secret` for a confidential client), an
expired access token is refreshed, and the new refresh token kept (see `oauth.py`).

Listing: a stream sweep over `GET /2/users/{id}/mentions` (newest first, `max_results` 5–100,
`pagination_token`), with `since_id` set to the newest id of the previous sweep, or `start_time`
on the first run; `expansions=author_id` joins `includes.users` for handles and names.
Replies to the council's posts mention it, so they appear here. The thread is
`conversation_id`; the parent is the `replied_to` reference unless that is the thread's first
post. Partial errors (`errors` in a 200) become problems. Permalinks are the
`x.com/{username}/status/{id}` convention.

Actions: hide/unhide `PUT /2/tweets/{id}/hidden` `{"hidden": true|false}` — only replies in
conversations the council started (50 requests / 15 min; at most 725 hidden per conversation);
reply `POST /2/tweets` with `reply.in_reply_to_tweet_id`. Delete works only on the council's own
posts, and block only on the Enterprise plan, so neither is offered; muting is possible but is
not blocking, so `block` is not quietly turned into it. Webhooks (Account Activity) need a paid
plan and are not implemented.

Cost and caps: every post read is paid for, and counted (`Page.reads`, the posts a call read).
When the plan's monthly cap is used up X answers HTTP 429 with the `usage-capped` problem
(`UsageCapExceeded`, "Usage cap exceeded: Monthly product cap"); that is not a rate limit to
retry in a minute but a stop until the cap resets, on the plan's billing day (the credential
`cap_reset_day`, 1–28; without it the first of the month, UTC): a `TransientError` with
`code="usage-capped"`, the wait until then in `retry_after`, and a message saying when.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

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
    shorten,
    text_at,
)
from moderation.connectors.sweep import StreamBatch, StreamItem, numeric_key, sweep_stream, unpad

DEFAULT_BASE_URL = "https://api.x.com"
USAGE_CAPPED = "usage-capped"
TWEET_FIELDS = "author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets"

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
        "hide": "Hides a reply in a conversation the council started (people can still see it "
        "behind 'hidden replies'). Mentions elsewhere cannot be hidden.",
        "unhide": "Shows a hidden reply again.",
        "remove": "X only lets an account delete its own posts: hide the reply instead.",
        "reply": "Replies as the account.",
        "block": "X's API blocks accounts only on the Enterprise plan: block them in the X app.",
        "unblock": "X's API unblocks accounts only on the Enterprise plan: do it in the X app.",
        "webhooks": "X's Account Activity webhooks need a paid plan; the account is polled.",
        "approve": "X does not hold replies for approval.",
        "reject": "X does not hold replies for approval: hide the reply instead.",
        "mute": "Muting is possible on X but only hides the account from the council's own view: "
        "do it in the X app if wanted.",
        "report": "X's API has no way to report a post: report it in the X app.",
        "notice": "Posted as the account in reply to the post (or reply) the removed reply "
        "answered.",
        "detach_quote": "X has no way to detach a quote from the council's post.",
    },
)


class XConnector(OAuthConnector):
    platform = "x"
    label = "X"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 100

    token_client_auth = "basic"

    def token_url(self) -> str:
        return self.base_url + "/2/oauth2/token"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_size = max(5, self.page_size)  # the endpoint refuses fewer than 5
        self._reads = 0

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        if response.ok:
            return None
        body = response.json_or_none()
        if not isinstance(body, dict):
            return PlatformError(f"X: HTTP {response.status}")
        problem = body
        errors = body.get("errors")
        if "title" not in body and isinstance(errors, list) and errors:
            problem = errors[0] if isinstance(errors[0], dict) else {}
        title = clean_text(str(problem.get("title") or problem.get("message") or ""))
        detail = clean_text(str(problem.get("detail") or ""))
        if title == "UsageCapExceeded" or str(problem.get("type", "")).endswith(USAGE_CAPPED):
            return self._usage_capped(detail or title)
        parts = [title] if not detail or detail == title else [title, detail]
        text = ": ".join(part for part in parts if part) or f"HTTP {response.status}"
        return PlatformError(
            message=f"X: {text[:500]}",
            code=clean_text(str(problem.get("type") or problem.get("code") or "")),
        )

    def _usage_capped(self, said: str) -> PlatformError:
        now = self.clock()
        reset = _next_reset(now, self.credentials.get("cap_reset_day", ""))
        return PlatformError(
            message=f"X: the monthly usage cap of the council's X API plan is used up (X said: "
            f"{said[:200]}). X is not read or acted on until the cap resets on "
            f"{reset.day} {reset:%B %Y}; a higher plan in the X developer portal lifts it sooner.",
            code=USAGE_CAPPED,
            transient=True,
            retry_after=max(60.0, (reset - now).total_seconds()),
        )

    def fetch_comments(self, cursor: str | None) -> Page:
        self._reads = 0
        page = sweep_stream(
            self,
            cursor,
            kind="x-mentions",
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
        )
        return replace(page, reads=self._reads)

    # --- listing (StreamSource) ----------------------------------------------------------

    def list_stream(
        self, token: str | None, since_key: str | None, since_time: datetime | None
    ) -> StreamBatch:
        user = self.segment(self.config.account_id, "X user id")
        params: dict[str, Any] = {
            "max_results": self.page_size,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if token:
            params["pagination_token"] = token
        if since_key:
            params["since_id"] = unpad(since_key)
        elif since_time:
            params["start_time"] = iso(since_time)[:19] + "Z"
        body = self.call_json("GET", f"/2/users/{user}/mentions", params=params)
        users: dict[str, dict[str, Any]] = {}
        included = dig(body, "includes", "users")
        for user_item in included if isinstance(included, list) else []:
            if isinstance(user_item, dict) and isinstance(user_item.get("id"), str):
                users[user_item["id"]] = user_item
        errors = body.get("errors")
        problems = [
            f"X reported: {shorten(clean_text(str(e.get('detail') or e.get('title') or e)), 300)}"
            for e in (errors if isinstance(errors, list) else [])
            if isinstance(e, dict)
        ]
        items: list[StreamItem] = []
        quarantined: list[Quarantined] = []
        data = body.get("data")
        self._reads += len(data) if isinstance(data, list) else 0
        for tweet in data if isinstance(data, list) else []:
            try:
                comment = _comment(tweet, users, problems)
                key = numeric_key(comment.platform_id)
            except ValueError as error:
                quarantined.append(quarantine("X post", tweet, error))
                continue
            items.append(StreamItem(key, comment.platform_id, comment.created_at, [comment]))
        next_token = dig(body, "meta", "next_token")
        next_token = next_token if isinstance(next_token, str) else None
        return StreamBatch(items, next_token, problems, quarantined)

    # --- actions -------------------------------------------------------------------------

    def _set_hidden(self, target: ActionTarget, *, hidden: bool) -> ActionResult:
        tweet = self.segment(target.comment_platform_id, "post id")
        body = self.call_json("PUT", f"/2/tweets/{tweet}/hidden", json={"hidden": hidden})
        return ActionResult(ok=dig(body, "data", "hidden") is hidden, platform_response=body)

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=True)

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=False)

    def _reply(self, target: ActionTarget) -> ActionResult:
        body = self.call_json(
            "POST",
            "/2/tweets",
            json={
                "text": target.text,
                "reply": {"in_reply_to_tweet_id": target.comment_platform_id},
            },
            idempotent=False,
        )
        return ActionResult(
            ok=True, platform_response=body, platform_id=str(dig(body, "data", "id") or "")
        )


def _next_reset(now: datetime, day: str) -> datetime:
    """The next time the monthly cap resets: `day` of the month (1-28), else the first, UTC."""
    number = int(day) if day.isdigit() and 1 <= int(day) <= 28 else 1
    candidate = now.astimezone(UTC).replace(day=number, hour=0, minute=0, second=0, microsecond=0)
    if candidate <= now:
        following = (candidate.replace(day=1) + timedelta(days=32)).replace(day=number)
        candidate = following
    return candidate


def _comment(tweet: Any, users: dict[str, dict[str, Any]], problems: list[str]) -> FetchedComment:
    if not isinstance(tweet, dict):
        raise ValueError("not an object")
    tweet_id = require_id(tweet.get("id"), "post id")
    author_id = optional_id(tweet.get("author_id"), "author id")
    author = users.get(author_id, {})
    username = text_at(author, "username")
    conversation = optional_id(tweet.get("conversation_id"), "conversation id") or tweet_id
    replied_to = ""
    references = tweet.get("referenced_tweets")
    for reference in references if isinstance(references, list) else []:
        if dig(reference, "type") == "replied_to":
            replied_to = optional_id(dig(reference, "id"), "replied-to id")
    if username:
        link = f"https://x.com/{quote(username)}/status/{quote(tweet_id)}"
    else:
        link = f"https://x.com/i/web/status/{quote(tweet_id)}"
    thread_link = safe_permalink(f"https://x.com/i/web/status/{quote(conversation)}")
    return FetchedComment(
        platform_id=tweet_id,
        post_platform_id=conversation,
        parent_platform_id="" if replied_to in ("", conversation) else replied_to,
        author=FetchedAuthor(
            platform_id=author_id, handle=username, display_name=text_at(author, "name")
        ),
        text=limit_text(text_at(tweet, "text"), f"X post {tweet_id}", problems),
        created_at=parse_datetime(tweet.get("created_at")),
        permalink=safe_permalink(link),
        raw=clean_raw(tweet),
        post=FetchedPost(conversation, "", thread_link, None),
    )
