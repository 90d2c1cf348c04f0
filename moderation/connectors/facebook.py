"""Facebook Pages: comments on the council's Page posts, through the Graph API.

Credentials: `access_token` (a Page access token with `pages_read_engagement`,
`pages_manage_engagement` and `pages_read_user_content`; the app user needs the MODERATE task),
optionally `app_secret` (adds `appsecret_proof`). `account_id` is the Page id.

Listing: a per-post sweep (see `sweep.py`): `GET /{page-id}/published_posts` for the posts of
the last `backfill_days`, then `GET /{post-id}/comments?filter=stream&order=chronological&since=…`
for each (stream flattens replies; each reply has `parent`). Comments without `from` are kept with
an empty author id: the Graph API withholds the author unless the app may read user content.

Private messages (Messenger): the Page's conversations (`GET /{page-id}/conversations?platform=
MESSENGER`) are read once the comments are caught up, and the Messenger Platform webhook (field
`messages`) delivers them as they arrive; each is a private item. A private item is answered
through the Send API (`POST /{page-id}/messages`, `recipient`, `message`,
`messaging_type=RESPONSE`), never published. Needs `pages_messaging` (and Meta's review).
Webhooks: `subscribe_webhooks` subscribes the Page to the app for `feed` and `messages`
(`POST /{page-id}/subscribed_apps`).

Actions: hide/unhide `POST /{comment-id}` `is_hidden=true|false`; remove `DELETE /{comment-id}`;
reply `POST /{comment-id}/comments` `message=…` (posted as the Page); block
`POST /{page-id}/blocked` `user=…`, unblock `DELETE /{page-id}/blocked?user=…`.

UNVERIFIED: the `{"success": true}` body of hide/unhide beyond the SDK's update call, and the
response body of `POST /{page-id}/blocked` (treated as success unless it is an error envelope).
Webhooks (field `feed`) are handled in `webhooks.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

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
    mapping_at,
    optional_id,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
)

DEFAULT_BASE_URL = "https://graph.facebook.com"
POST_FIELDS = "id,message,created_time,permalink_url"
COMMENT_FIELDS = (
    "id,message,created_time,from,parent,permalink_url,is_hidden,can_hide,can_remove,object"
)

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    remove=True,
    reply=True,
    block=True,
    unblock=True,
    webhooks=True,
    private_messages=True,
    notice=True,
    notes={
        "hide": "Hidden comments stay visible to their author and their friends only.",
        "unhide": "Makes a hidden comment visible to everyone again.",
        "remove": "Removes the comment for everyone; it cannot be restored.",
        "reply": "Replies as the Page, under the comment. A private message is answered "
        "privately through Messenger (within 24 hours of the person's last message).",
        "block": "Bans the person from the Page: they can no longer comment or message it.",
        "unblock": "Lifts the Page ban.",
        "webhooks": "Page webhooks (field 'feed') deliver new comments as they are written.",
        "approve": "Facebook does not hold comments for approval: nothing to approve on the "
        "platform.",
        "reject": "Facebook does not hold comments for approval: hide or remove the comment "
        "instead.",
        "mute": "Facebook's API has no mute: hide the comment, or ban the person from the Page.",
        "report": "Facebook's API has no way to report a comment: report it on Facebook.",
        "notice": "Posted as the Page under the removed comment's parent comment, or on the post.",
        "detach_quote": "Facebook has no quote posts to detach.",
    },
)


class FacebookConnector(GraphConnector):
    platform = "facebook"
    label = "Facebook"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 100

    sweep_kind = "facebook-posts"
    webhook_fields = ("feed", "messages")
    messaging_platform = "MESSENGER"
    account_noun = "Page id"
    posts_edge = "published_posts"
    post_fields = POST_FIELDS

    def parse_post(self, item: Any) -> FetchedPost:
        return _post(item)

    # --- listing (PostSource): posts come from GraphConnector.list_posts ---------------------

    def comment_params(self, since: datetime) -> dict[str, Any]:
        return {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "since": int(since.timestamp()),
        }

    def parse_comment(self, item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
        return _comment(item, post, problems)

    # --- actions -------------------------------------------------------------------------

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=True)

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=False)

    def _set_hidden(self, target: ActionTarget, *, hidden: bool) -> ActionResult:
        path = self.graph_path(self.segment(target.comment_platform_id))
        body = self.graph_post(path, {"is_hidden": "true" if hidden else "false"})
        return _success(body, self.label)

    def _remove(self, target: ActionTarget) -> ActionResult:
        body = self.graph_delete(self.graph_path(self.segment(target.comment_platform_id)))
        return _success(body, self.label)

    def _reply(self, target: ActionTarget) -> ActionResult:
        path = self.graph_path(self.segment(target.comment_platform_id), "comments")
        body = self.graph_post(path, {"message": target.text}, idempotent=False)
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))

    def _block(self, target: ActionTarget) -> ActionResult:
        author = _author_id(target, self.label)
        path = self.graph_path(self.segment(self.config.account_id), "blocked")
        body = self.graph_post(path, {"user": author})
        return _success(body, self.label)

    def _unblock(self, target: ActionTarget) -> ActionResult:
        author = _author_id(target, self.label)
        path = self.graph_path(self.segment(self.config.account_id), "blocked")
        body = self.graph_delete(path, {"user": author})
        return _success(body, self.label)


def _author_id(target: ActionTarget, label: str) -> str:
    if not target.author_platform_id:
        raise PermanentError(
            f"{label} did not say who wrote this comment, so its author cannot be blocked",
            code="no_author",
        )
    return target.author_platform_id


def _success(body: dict[str, Any], label: str) -> ActionResult:
    if body.get("success") is False:
        raise PermanentError(f"{label} refused the action without giving a reason", code="")
    return ActionResult(ok=True, platform_response=body)


def _post(item: Any) -> FetchedPost:
    created = item.get("created_time") if isinstance(item, dict) else None
    return FetchedPost(
        platform_id=require_id(item.get("id") if isinstance(item, dict) else None, "post id"),
        text=text_at(item, "message"),
        permalink=safe_permalink(item.get("permalink_url")),
        created_at=parse_datetime(created) if created else None,
    )


def _comment(item: Any, post: FetchedPost, problems: list[str]) -> FetchedComment:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    comment_id = require_id(item.get("id"), "comment id")
    author = mapping_at(item, "from")
    post_id = optional_id(dig(item, "object", "id"), "post id") or post.platform_id
    parent = item.get("parent")
    return FetchedComment(
        platform_id=comment_id,
        post_platform_id=post_id,
        parent_platform_id=optional_id(parent.get("id") if isinstance(parent, dict) else None),
        author=FetchedAuthor(
            platform_id=optional_id(author.get("id"), "author id"),
            handle="",
            display_name=text_at(author, "name"),
        ),
        text=limit_text(text_at(item, "message"), f"Facebook comment {comment_id}", problems),
        created_at=parse_datetime(item.get("created_time")),
        permalink=safe_permalink(item.get("permalink_url"))
        or safe_permalink("https://www.facebook.com/" + quote(comment_id, safe="")),
        raw=clean_raw(item),
        post=post,
    )
