"""Mastodon: replies to and mentions of the council's account on its instance.

Credentials: `access_token` (scopes `read:notifications read:statuses write:statuses
write:blocks write:mutes write:reports`). `base_url` is the instance, e.g.
`https://mastodon.social` — there is no default. `account_id` is the account's id on that
instance.

Listing: a stream sweep over `GET /api/v1/notifications?types[]=mention` (newest first, `limit`
≤ 80), with `since_id` set to the newest notification of the previous sweep and the `Link`
header's `rel="next"` (its `max_id`) for older pages. Replies mention the account, so they
appear here. Status HTML is turned into plain text (the content warning first); the raw HTML
stays in `raw`. The thread root would need `GET /statuses/:id/context` for every reply, so
`post_platform_id` is the status replied to (`in_reply_to_id`), or the status itself for a bare
mention. Direct and followers-only mentions (`visibility` `direct` or `private`) are private
items: they reach officers, and are answered privately. The account's own statuses are left out.

Actions: reply `POST /api/v1/statuses` (`status`, `in_reply_to_id`, and `visibility` equal to the
status answered, read first with `GET /api/v1/statuses/:id`, so a reply never widens who can see
it; a direct reply mentions the author, or nobody would receive it) with an `Idempotency-Key`, so
a retry never posts twice; block/unblock/mute `POST /api/v1/accounts/:id/block|unblock|mute`
(each affects only the council's own account: others still see the posts); report
`POST /api/v1/reports` (`account_id`, `status_ids`, `comment`, `category=other`, and `forward`
for an account on another server). Mastodon has no hide, and only a status's author may delete
it. Instance webhooks are an admin feature, not
per account: not implemented.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpResponse, PlatformError
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    dig,
    html_to_text,
    limit_text,
    mapping_at,
    optional_id,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
    written_time,
)
from moderation.connectors.sweep import StreamBatch, StreamItem, numeric_key, sweep_stream, unpad

VISIBILITIES = ("public", "unlisted", "private", "direct")
# Followers-only and direct statuses are not public: they are private items.
PRIVATE_VISIBILITIES = frozenset({"private", "direct"})

CAPABILITIES = Capabilities(
    hide=False,
    unhide=False,
    remove=False,
    reply=True,
    block=True,
    unblock=True,
    webhooks=False,
    mute=True,
    report=True,
    private_messages=True,
    notice=True,
    notes={
        "hide": "Mastodon has no way to hide a reply to the council's post: block the author, "
        "or report the post to its instance's moderators.",
        "unhide": "Mastodon has no hidden replies to show again.",
        "remove": "Only a post's author can delete it on Mastodon: report it to the instance's "
        "moderators instead.",
        "reply": "Replies as the account, with the same visibility as the post it answers "
        "(a reply to a direct message stays direct).",
        "block": "Blocks the account for the council's account only: the council no longer sees "
        "its posts and it cannot follow the council, but its replies are still visible to "
        "everyone else. Report it to have them removed.",
        "unblock": "Lifts the block.",
        "webhooks": "Mastodon webhooks are configured by instance admins, not per account; the "
        "account is polled.",
        "approve": "Mastodon does not hold replies for approval.",
        "reject": "Mastodon does not hold replies for approval: report the post instead.",
        "mute": "Mutes the account for the council's account: its posts and notifications stop "
        "reaching the council; nobody else is affected and it is not told.",
        "report": "Reports the post to the council's instance moderators and, for an account on "
        "another server, forwards the report to that server's moderators.",
        "notice": "Posted as the account in reply to the post the reply answered, with that "
        "post's visibility.",
        "detach_quote": "Revoking a quote is not supported through this connection.",
    },
)


class MastodonConnector(BaseConnector):
    platform = "mastodon"
    label = "Mastodon"
    capabilities = CAPABILITIES
    default_base_url = ""
    max_page_size = 80

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        if not self.base_url:
            raise PermanentError(
                "Mastodon: this channel has no instance address (e.g. https://mastodon.social)",
                code="no_instance",
            )
        return super().call(method, path, **kwargs)

    def fetch_comments(self, cursor: str | None) -> Page:
        return sweep_stream(
            self,
            cursor,
            kind="mastodon-mentions",
            label=self.label,
            now=self.clock(),
            backfill_days=self.config.backfill_days,
        )

    def error_parser(self, response: HttpResponse) -> PlatformError | None:
        if response.ok:
            return None
        body = response.json_or_none()
        error = body.get("error") if isinstance(body, dict) else None
        message = clean_text(str(error)) if error else f"HTTP {response.status}"
        description = body.get("error_description") if isinstance(body, dict) else None
        if isinstance(description, str) and description:
            message = f"{message}: {clean_text(description)}"
        return PlatformError(f"Mastodon: {message[:500]}", code=str(response.status))

    # --- listing (StreamSource) ----------------------------------------------------------

    def list_stream(
        self, token: str | None, since_key: str | None, since_time: datetime | None
    ) -> StreamBatch:
        params: dict[str, Any] = {"types[]": "mention", "limit": self.page_size}
        if token:
            params["max_id"] = token
        if since_key:
            params["since_id"] = unpad(since_key)
        response = self.call("GET", "/api/v1/notifications", params=params)
        body = response.json()
        if not isinstance(body, list):
            raise PermanentError("Mastodon: notifications were not a list", code="bad_answer")
        items: list[StreamItem] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        for notification in body:
            try:
                if dig(notification, "type") != "mention":
                    continue
                notification_id = require_id(dig(notification, "id"), "notification id")
                # The notification's time is our own server's; the status's may be a remote
                # server's claim, so it is checked against it.
                notified = parse_datetime(dig(notification, "created_at"))
                comment = _comment(dig(notification, "status"), notified, problems)
                key = numeric_key(notification_id)
            except ValueError as error:
                quarantined.append(quarantine("Mastodon notification", notification, error))
                continue
            items.append(StreamItem(key, notification_id, comment.created_at, [comment]))
        next_link = response.links().get("next", "")
        max_ids = parse_qs(urlsplit(next_link).query).get("max_id", [])
        next_token = max_ids[0] if body and max_ids and max_ids[0] else None
        return StreamBatch(items, next_token, problems, quarantined)

    # --- actions -------------------------------------------------------------------------

    def _reply(self, target: ActionTarget) -> ActionResult:
        # The same reply to the same status always has the same key: Mastodon then returns the
        # status it already created instead of posting again.
        key = hashlib.sha256(f"{target.comment_platform_id}\n{target.text}".encode()).hexdigest()
        # Never wider than what it answers: a reply to a direct message must not go public.
        parent = self._status(target.comment_platform_id)
        visibility = parent.get("visibility")
        if visibility not in VISIBILITIES:
            visibility = "direct"  # unknown: the narrowest
        text = target.text
        acct = text_at(parent, "account", "acct")
        if visibility == "direct" and acct and f"@{acct}" not in text:
            # A direct status reaches only the accounts it mentions.
            text = f"@{acct} {text}"
        body = self.call_json(
            "POST",
            "/api/v1/statuses",
            json={
                "status": text,
                "in_reply_to_id": target.comment_platform_id,
                "visibility": visibility,
            },
            headers={"Idempotency-Key": key},
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))

    def _reply_privately(self, target: ActionTarget) -> ActionResult:
        return self._reply(target)

    def _status(self, status_id: str) -> dict[str, Any]:
        return self.call_json("GET", f"/api/v1/statuses/{self.segment(status_id, 'status id')}")

    def _mute(self, target: ActionTarget) -> ActionResult:
        return self._relationship(target, "mute")

    def _report(self, target: ActionTarget) -> ActionResult:
        if not target.author_platform_id:
            raise PermanentError("Mastodon: the comment's author is unknown", code="no_author")
        status = self._status(target.comment_platform_id)
        acct = text_at(status, "account", "acct")
        body = self.call_json(
            "POST",
            "/api/v1/reports",
            json={
                "account_id": target.author_platform_id,
                "status_ids": [target.comment_platform_id],
                "comment": target.text[:1000],
                "category": "other",
                # An account on another server: its own moderators get the report too.
                "forward": "@" in acct,
            },
        )
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))

    def _relationship(self, target: ActionTarget, verb: str) -> ActionResult:
        if not target.author_platform_id:
            raise PermanentError("Mastodon: the comment's author is unknown", code="no_author")
        account = self.segment(target.author_platform_id, "account id")
        body = self.call_json("POST", f"/api/v1/accounts/{account}/{verb}")
        return ActionResult(ok=True, platform_response=body)

    def _block(self, target: ActionTarget) -> ActionResult:
        return self._relationship(target, "block")

    def _unblock(self, target: ActionTarget) -> ActionResult:
        return self._relationship(target, "unblock")


def _comment(status: Any, notified: datetime, problems: list[str]) -> FetchedComment:
    if not isinstance(status, dict):
        raise ValueError("no status")
    status_id = require_id(status.get("id"), "status id")
    corrections: list[str] = []
    created = written_time(status.get("created_at"), notified, "created_at", corrections)
    content = html_to_text(text_at(status, "content"))
    warning = text_at(status, "spoiler_text")
    text = f"{warning}\n\n{content}" if warning else content
    replied_to = optional_id(status.get("in_reply_to_id"), "in_reply_to_id")
    account = mapping_at(status, "account")
    link = safe_permalink(status.get("url")) or safe_permalink(status.get("uri"))
    return FetchedComment(
        platform_id=status_id,
        post_platform_id=replied_to or status_id,
        parent_platform_id="",
        author=FetchedAuthor(
            platform_id=optional_id(account.get("id"), "account id"),
            handle=text_at(account, "acct"),
            display_name=text_at(account, "display_name"),
        ),
        text=limit_text(text, f"Mastodon status {status_id}", problems),
        created_at=created,
        permalink=link,
        raw=clean_raw(status),
        post=FetchedPost(replied_to, "", "", None) if replied_to else None,
        private=status.get("visibility") in PRIVATE_VISIBILITIES,
        corrections=tuple(corrections),
    )
