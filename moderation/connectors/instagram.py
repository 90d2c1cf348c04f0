"""Instagram (professional accounts): comments on the council's media, through the Graph API.

Credentials: `access_token` (Facebook Login with `instagram_basic`, `instagram_manage_comments`,
`pages_read_engagement`; or Instagram Login with the `instagram_business_*` permissions — set
`base_url` to `https://graph.instagram.com` then), optionally `app_secret`. `account_id` is the
IG user id.

Listing: a per-post sweep: `GET /{ig-user-id}/media` (newest first) for the media of the last
`backfill_days`, then `GET /{ig-media-id}/comments` with the `replies{…}` field expanded (and
`GET /{ig-comment-id}/replies` when the expansion has a next page). The comments edge has no
`since` filter, so old comments are filtered here by `timestamp`. Comments carry no permalink:
the media's is used. Authors have a username and an app-scoped id, no display name.

Private messages: the account's conversations (`GET /{ig-user-id}/conversations?platform=
INSTAGRAM`) once the comments are caught up, and the Instagram messaging webhook (field
`messages`); each is a private item, answered through `POST /{ig-user-id}/messages` (Send API),
never published. `subscribe_webhooks` subscribes the account for `comments`, `live_comments` and
`messages` (`POST /{ig-user-id}/subscribed_apps`, Instagram API with Instagram Login; an account
connected through a Facebook Page is subscribed through that Page). These messaging and
subscription endpoints are the ones in Meta's `IGUserForIGOnlyAPI` definition.

Actions: hide/unhide `POST /{ig-comment-id}` `hide=true|false`; remove `DELETE /{ig-comment-id}`
(on the council's own media); reply `POST /{ig-comment-id}/replies` `message=…` — only top-level
comments take replies, so a reply to a reply goes to its top-level comment. Blocking has no API.
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
    Quarantined,
    quarantine,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.graph import GraphConnector, data_items, next_after
from moderation.connectors.parsing import (
    clean_raw,
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
from moderation.connectors.sweep import CommentBatch, PostBatch

DEFAULT_BASE_URL = "https://graph.facebook.com"
MEDIA_FIELDS = "id,caption,permalink,timestamp,comments_count"
REPLY_FIELDS = "id,text,timestamp,username,from,hidden,like_count,media,parent_id"
COMMENT_FIELDS = f"{REPLY_FIELDS},replies{{{REPLY_FIELDS}}}"
MAX_REPLY_PAGES = 10

CAPABILITIES = Capabilities(
    hide=True,
    unhide=True,
    remove=True,
    reply=True,
    block=False,
    unblock=False,
    webhooks=True,
    private_messages=True,
    notice=True,
    notes={
        "hide": "Hidden comments stay visible to their author only.",
        "unhide": "Makes a hidden comment visible to everyone again.",
        "remove": "Removes the comment from the council's media for everyone.",
        "reply": "Replies as the account; replies to a reply go under its top-level comment; a "
        "private message is answered privately (within 24 hours of the person's last message). "
        "Hidden comments cannot be replied to.",
        "block": "Instagram's API has no way to block or restrict an account: do it in the app.",
        "unblock": "Instagram's API has no way to unblock an account: do it in the app.",
        "webhooks": "Instagram webhooks (field 'comments') deliver new comments.",
        "approve": "Instagram does not hold comments for approval through the API.",
        "reject": "Instagram does not hold comments for approval: hide or delete the comment "
        "instead.",
        "mute": "Instagram's API has no mute or restrict: do it in the app.",
        "report": "Instagram's API has no way to report a comment: report it in the app.",
        "notice": "Posted as the account under the removed reply's top-level comment, or as a "
        "comment on the media.",
        "detach_quote": "Instagram has no quote posts to detach.",
    },
)


class InstagramConnector(GraphConnector):
    platform = "instagram"
    label = "Instagram"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    max_page_size = 50

    sweep_kind = "instagram-media"
    webhook_fields = ("comments", "live_comments", "messages")
    messaging_platform = "INSTAGRAM"

    # --- listing (PostSource) ------------------------------------------------------------

    def list_posts(self, token: str | None, since: datetime) -> PostBatch:
        user = self.segment(self.config.account_id, "Instagram user id")
        params: dict[str, Any] = {"fields": MEDIA_FIELDS, "limit": 25}
        if token:
            params["after"] = token
        body = self.graph_get(self.graph_path(user, "media"), params)
        posts: list[FetchedPost] = []
        problems: list[str] = []
        reached_older = False
        for item in data_items(body, self.label):
            try:
                media = _media(item)
            except ValueError as error:
                problems.append(describe("Instagram media", item, error))
                continue
            if media.created_at is not None and media.created_at < since:
                reached_older = True  # media come newest first: the rest are older still
                break
            posts.append(media)
        return PostBatch(posts, None if reached_older else next_after(body), problems)

    def list_comments(self, post: FetchedPost, token: str | None, since: datetime) -> CommentBatch:
        params: dict[str, Any] = {"fields": COMMENT_FIELDS, "limit": self.page_size}
        if token:
            params["after"] = token
        path = self.graph_path(path_segment(post.platform_id, "media id"), "comments")
        body = self.graph_get(path, params)
        comments: list[FetchedComment] = []
        problems: list[str] = []
        quarantined: list[Quarantined] = []
        for item in data_items(body, self.label):
            try:
                comments.append(_comment(item, post, "", problems))
            except ValueError as error:
                quarantined.append(quarantine("Instagram comment", item, error))
                continue
            comments.extend(self._replies(item, post, problems, quarantined))
        return CommentBatch(comments, next_after(body), problems, quarantined)

    def _replies(
        self,
        item: dict[str, Any],
        post: FetchedPost,
        problems: list[str],
        quarantined: list[Quarantined],
    ) -> list[FetchedComment]:
        parent_id = str(item["id"])
        replies: list[FetchedComment] = []
        page: Any = item.get("replies")
        for _ in range(MAX_REPLY_PAGES):
            if not isinstance(page, dict):
                break
            for reply in data_items(page, self.label):
                try:
                    replies.append(_comment(reply, post, parent_id, problems))
                except ValueError as error:
                    quarantined.append(quarantine("Instagram reply", reply, error))
            after = next_after(page)
            if after is None:
                break
            path = self.graph_path(path_segment(parent_id, "comment id"), "replies")
            page = self.graph_get(path, {"fields": REPLY_FIELDS, "limit": 50, "after": after})
        return replies

    # --- actions -------------------------------------------------------------------------

    def _hide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=True)

    def _unhide(self, target: ActionTarget) -> ActionResult:
        return self._set_hidden(target, hidden=False)

    def _set_hidden(self, target: ActionTarget, *, hidden: bool) -> ActionResult:
        path = self.graph_path(self.segment(target.comment_platform_id))
        body = self.graph_post(path, {"hide": "true" if hidden else "false"})
        if body.get("success") is False:
            raise PermanentError("Instagram refused to change the comment's visibility")
        return ActionResult(ok=True, platform_response=body)

    def _remove(self, target: ActionTarget) -> ActionResult:
        body = self.graph_delete(self.graph_path(self.segment(target.comment_platform_id)))
        if body.get("success") is False:
            raise PermanentError("Instagram refused to delete the comment")
        return ActionResult(ok=True, platform_response=body)

    def _notice(self, target: ActionTarget) -> ActionResult:
        """Under the removed reply's top-level comment; else a comment on the media itself."""
        if target.parent_platform_id:
            return super()._notice(target)
        path = self.graph_path(self.segment(target.post_platform_id, "media id"), "comments")
        body = self.graph_post(path, {"message": target.text}, idempotent=False)
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))

    def _reply(self, target: ActionTarget) -> ActionResult:
        top_level = target.parent_platform_id or target.comment_platform_id
        path = self.graph_path(self.segment(top_level), "replies")
        body = self.graph_post(path, {"message": target.text}, idempotent=False)
        return ActionResult(ok=True, platform_response=body, platform_id=str(body.get("id", "")))


def _media(item: Any) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    created = item.get("timestamp")
    return FetchedPost(
        platform_id=require_id(item.get("id"), "media id"),
        text=text_at(item, "caption"),
        permalink=safe_permalink(item.get("permalink")),
        created_at=parse_datetime(created) if created else None,
    )


def _comment(item: Any, post: FetchedPost, parent_id: str, problems: list[str]) -> FetchedComment:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    comment_id = require_id(item.get("id"), "comment id")
    handle = text_at(item, "from", "username") or text_at(item, "username")
    return FetchedComment(
        platform_id=comment_id,
        post_platform_id=optional_id(dig(item, "media", "id"), "media id") or post.platform_id,
        parent_platform_id=optional_id(item.get("parent_id"), "parent id") or parent_id,
        author=FetchedAuthor(
            platform_id=optional_id(dig(item, "from", "id"), "author id"),
            handle=handle,
            display_name="",
        ),
        text=limit_text(text_at(item, "text"), f"Instagram comment {comment_id}", problems),
        created_at=parse_datetime(item.get("timestamp")),
        permalink=post.permalink,
        raw=clean_raw({k: v for k, v in item.items() if k != "replies"}),
        post=post,
    )
