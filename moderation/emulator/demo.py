"""The demo's world in the emulator: the posts and comments of ``moderation/demo/content.json``
under the channels' own account ids, as `manage.py run_demo` and `--demo` both serve them."""

from __future__ import annotations

import datetime as dt

from moderation.demo import load_content
from moderation.emulator.server import Emulator


def seed_demo(emulator: Emulator, anchor: dt.datetime) -> int:
    """Add every post and comment, dated back from ``anchor`` by its `hours_ago`; the count of
    comments added."""
    content = load_content()
    channels = {c["key"]: c for c in content["channels"]}
    posts = {p["key"]: p for p in content["posts"]}
    by_key = {c["key"]: c for c in content["comments"]}
    for channel in content["channels"]:
        if channel["platform"] == "bluesky":  # signing in with OAuth starts from the handle
            handle = channel["handle"].lstrip("@")
            emulator.name_account("bluesky", channel["account_id"], handle, channel["name"])
    for post in content["posts"]:
        channel = channels[post["channel"]]
        emulator.add_post(
            channel["platform"],
            channel["account_id"],
            post["platform_id"],
            post["text"],
            created_at=anchor - dt.timedelta(hours=float(post.get("hours_ago", 0))),
        )
    count = 0
    for comment in sorted(content["comments"], key=lambda c: -float(c["hours_ago"])):
        post = posts[comment["post"]]
        channel = channels[post["channel"]]
        parent = by_key.get(comment.get("reply_to") or "")
        author = comment["author"]
        emulator.add_comment(
            channel["platform"],
            channel["account_id"],
            post["platform_id"],
            comment["text"],
            {
                "id": author["platform_id"],
                "handle": author.get("handle", ""),
                "name": author.get("display_name", ""),
            },
            created_at=anchor - dt.timedelta(hours=float(comment["hours_ago"])),
            parent_id=parent["platform_id"] if parent else "",
            comment_id=comment["platform_id"],
        )
        count += 1
    return count
