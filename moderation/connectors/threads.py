"""Threads (Meta): replies to the council's Threads posts, through the Threads Graph API.

Credentials: `access_token` (a Threads user token with `threads_basic`, `threads_read_replies`,
`threads_manage_replies`), optionally `app_secret`. `account_id` is the Threads user id.

Listing: a per-post sweep: `GET /{user-id}/threads?since=…` for the council's recent posts (this
edge is from Meta's "retrieve posts" documentation, not the reply-management reference:
UNVERIFIED here), then `GET /{media-id}/conversation` (all replies, flattened, with `before` /
`after` paging) for each. Replies carry a username but no user id, so the username is the
author id. The conversation edge has no `since` filter; old replies are filtered here.

Actions: hide/unhide `POST /{reply-id}/manage_reply` `hide=true|false` — top-level replies only
(hiding one hides its nested replies); reply: create a container `POST /{user-id}/threads`
(`media_type=TEXT`, `text`, `reply_to_id`) then publish it `POST /{user-id}/threads_publish`
(`creation_id`). Deleting other people's replies and blocking have no API. The endpoint names
for reply approvals are UNVERIFIED and not used.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moderation.connectors.base import (
    ActionResult,
    ActionTarget,
    Capabilities,
    FetchedAuthor,
    FetchedComment,
    FetchedPost,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.graph import GraphConnector
from moderation.connectors.parsing import (
    clean_raw,
    dig,
    limit_text,
    optional_id,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
)

DEFAULT_BASE_URL = "https://graph.threads.net"
POST_FIELDS = "id,text,permalink,timestamp,media_type"
REPLY_FIELDS = (
    "id,text,username,timestamp,permalink,replied_to,root_post,is_reply,is_reply_owned_by_me,"
    "hide_status,media_type"
)

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    remove=False,
    reply=True,
    block=False,
    unblock=False,
    webhooks=True,
    notice=True,
    notes={
        "hide": "Only replies directly under the council's post can be hidden; hiding one "
        "also hides the replies under it.",
        "unhide": "Shows a hidden top-level reply again.",
        "remove": "Threads only lets an account delete its own posts, not other people's "
        "replies: hide the reply instead.",
        "reply": "Replies as the account (two steps: create, then publish); Threads allows "
        "1,000 replies a day through the API.",
        "block": "Threads' API has no way to block an account: do it in the app.",
        "unblock": "Threads' API has no way to unblock an account: do it in the app.",
        "webhooks": "Threads webhooks (field 'replies') deliver new replies.",
        "approve": "Threads' reply approvals are not available through the documented API.",
        "reject": "Threads' reply approvals are not available through the documented API: hide "
        "the reply instead.",
        "mute": "Threads' API has no mute: do it in the app.",
        "report": "Threads' API has no way to report a reply: report it in the app.",
        "notice": "Posted as the account in reply to the post (or reply) the removed reply "
        "answered.",
        "detach_quote": "Threads' API has no way to detach a quote: do it in the app.",
    },
)


class ThreadsConnector(GraphConnector):
    platform = "threads"
    label = "Threads"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    default_api_version = "v1.0"  # Threads' own API version, not the Graph API's
    max_page_size = 100

    sweep_kind = "threads-posts"
    account_noun = "Threads user id"
    posts_edge = "threads"
    post_fields = POST_FIELDS

    def parse_post(self, item: Any) -> FetchedPost:
        return _post(item)

    # --- listing (PostSource): posts come from GraphConnector.list_posts ---------------------

    comments_edge = "conversation"
    comment_noun = "reply"

    def comment_params(self, since: datetime) -> dict[str, Any]:
        return {"fields": REPLY_FIELDS, "reverse": "false"}

    def parse_comment(self, item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
        return _reply(item, post, problems)

    def is_own(self, comment: FetchedComment) -> bool:
        # Replies carry a username but no user id; Threads says which are the account's own.
        return comment.raw.get("is_reply_owned_by_me") is True or super().is_own(comment)

    # --- actions -------------------------------------------------------------------------

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._manage(target, hidden=True)

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._manage(target, hidden=False)

    def _manage(self, target: ActionTarget, *, hidden: bool) -> ActionResult:
        if target.parent_platform_id:
            raise PermanentError(
                "Threads only lets the council hide replies directly under its post; this is "
                "a reply to a reply (hiding its top-level reply hides it too)",
                code="not_top_level",
            )
        path = self.graph_path(self.segment(target.comment_platform_id), "manage_reply")
        body = self.graph_post(path, {"hide": "true" if hidden else "false"})
        if body.get("success") is False:
            raise PermanentError("Threads refused to change the reply's visibility")
        return ActionResult(ok=True, platform_response=body)

    def _reply(self, target: ActionTarget) -> ActionResult:
        user = self.segment(self.config.account_id, "Threads user id")
        container = self.graph_post(
            self.graph_path(user, "threads"),
            {
                "media_type": "TEXT",
                "text": target.text,
                "reply_to_id": target.comment_platform_id,
            },
            idempotent=False,
        )
        creation_id = container.get("id")
        if not isinstance(creation_id, str) or not creation_id:
            raise PermanentError("Threads did not return a container id for the reply")
        # Publishing one container twice does not post twice, so this step may be retried.
        published = self.graph_post(
            self.graph_path(user, "threads_publish"), {"creation_id": creation_id}
        )
        return ActionResult(
            ok=True,
            platform_response={"container": container, "published": published},
            platform_id=str(published.get("id", "")),
        )


def _post(item: Any) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    created = item.get("timestamp")
    return FetchedPost(
        platform_id=require_id(item.get("id"), "post id"),
        text=text_at(item, "text"),
        permalink=safe_permalink(item.get("permalink")),
        created_at=parse_datetime(created) if created else None,
    )


def _reply(item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    reply_id = require_id(item.get("id"), "reply id")
    root = optional_id(dig(item, "root_post", "id"), "root post id") or post.platform_id
    replied_to = optional_id(dig(item, "replied_to", "id"), "replied-to id")
    username = text_at(item, "username")
    return FetchedComment(
        platform_id=reply_id,
        post_platform_id=root,
        parent_platform_id="" if replied_to in ("", root) else replied_to,
        author=FetchedAuthor(platform_id=username, handle=username, display_name=""),
        text=limit_text(text_at(item, "text"), f"Threads reply {reply_id}", problems),
        created_at=parse_datetime(item.get("timestamp")),
        permalink=safe_permalink(item.get("permalink")) or post.permalink,
        raw=clean_raw(item),
        post=post,
    )
