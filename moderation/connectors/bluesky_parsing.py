"""Reading Bluesky's answers: a notification as a comment, and a post's `at://` address.

The comment id is the post's `at://` URI; the thread is `record.reply.root`, or for a quote the
post it quotes. Permalinks are the `bsky.app/profile/{handle}/post/{rkey}` convention.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from moderation.connectors.base import FetchedAuthor, FetchedComment, FetchedPost
from moderation.connectors.errors import PermanentError
from moderation.connectors.parsing import (
    clean_raw,
    clean_text,
    dig,
    limit_text,
    mapping_at,
    parse_datetime,
    require_id,
    safe_permalink,
    text_at,
    written_time,
)


def split_at_uri(uri: str) -> tuple[str, str, str]:
    parts = uri.removeprefix("at://").split("/") if uri.startswith("at://") else []
    if len(parts) != 3 or not all(parts):
        raise PermanentError(f"Bluesky: {clean_text(uri)[:120]!r} is not a post address")
    return parts[0], parts[1], parts[2]


def comment_from_notification(
    notification: Any, problems: list[str]
) -> tuple[FetchedComment, datetime]:
    if not isinstance(notification, dict):
        raise ValueError("not an object")
    uri = require_id(notification.get("uri"), "post URI")
    indexed = parse_datetime(notification.get("indexedAt"))
    record = mapping_at(notification, "record")
    author = mapping_at(notification, "author")
    handle = text_at(author, "handle")
    # createdAt is set by the writer's own app: it can be anything (year 1, the far future).
    corrections: list[str] = []
    created = written_time(record.get("createdAt"), indexed, "createdAt", corrections)
    root = dig(record, "reply", "root", "uri")
    parent = dig(record, "reply", "parent", "uri")
    if notification.get("reason") == "quote":
        # A quote is not in a thread: it belongs under the post it quotes.
        root = dig(notification, "reasonSubject") or dig(record, "embed", "record", "uri")
    root_uri = root if isinstance(root, str) and root else uri
    parent_uri = parent if isinstance(parent, str) and parent != root_uri else ""
    rkey = uri.rsplit("/", 1)[-1]
    link = (
        f"https://bsky.app/profile/{quote(handle or str(author.get('did', '')))}/post/{quote(rkey)}"
    )
    return (
        FetchedComment(
            platform_id=uri,
            post_platform_id=clean_text(root_uri),
            parent_platform_id=clean_text(parent_uri),
            author=FetchedAuthor(
                platform_id=text_at(author, "did"),
                handle=handle,
                display_name=text_at(author, "displayName"),
            ),
            text=limit_text(text_at(record, "text"), f"Bluesky post {uri}", problems),
            created_at=created,
            permalink=safe_permalink(link),
            raw=clean_raw(notification),
            post=FetchedPost(clean_text(root_uri), "", "", None) if root_uri != uri else None,
            corrections=tuple(corrections),
        ),
        indexed,
    )
