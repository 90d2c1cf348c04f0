"""Bluesky: notifications, hiding through the threadgate, replies, blocks, sessions."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError
from moderation.emulator.bluesky import PASSWORD


@pytest.fixture
def kit(make_kit):
    return make_kit("bluesky")


def test_replies_carry_their_thread_root_and_a_bsky_permalink(kit, drain_all):
    post = kit.post()
    reply = kit.comment(
        post, "Size chart?", author={"id": "did:plc:abc", "handle": "kim.bsky.social"}
    )

    [comment], _, _, _ = drain_all(kit.connector())

    assert comment.platform_id == reply
    assert comment.post_platform_id == post
    assert comment.parent_platform_id == ""
    assert (
        comment.permalink
        == f"https://bsky.app/profile/kim.bsky.social/post/{reply.rsplit('/', 1)[1]}"
    )


def test_hide_and_unhide_edit_the_threadgate_and_keep_it(kit):
    post = kit.post()
    first = kit.comment(post, "rude")
    second = kit.comment(post, "ruder")
    connector = kit.connector()

    connector.perform("hide", ActionTarget(first, "", post))
    connector.perform("hide", ActionTarget(second, "", post))
    connector.perform("unhide", ActionTarget(first, "", post))

    assert kit.emulator.comment_status("bluesky", first) == "visible"
    assert kit.emulator.comment_status("bluesky", second) == "hidden"
    rkey = post.rsplit("/", 1)[1]
    gate = kit.emulator.store.records[(kit.account_id, "app.bsky.feed.threadgate", rkey)]
    assert gate["value"]["hiddenReplies"] == [second]


def test_replies_in_someone_elses_thread_cannot_be_hidden(kit):
    stranger_post = "at://did:plc:stranger/app.bsky.feed.post/3abc"

    with pytest.raises(PermanentError, match="not started by the council"):
        kit.connector().perform(
            "hide", ActionTarget("at://did:plc:x/app.bsky.feed.post/1", "", stranger_post)
        )
    assert kit.emulator.actions == []


def test_a_reply_carries_the_root_and_parent_cids(kit):
    post = kit.post()
    comment = kit.comment(post, "Question")

    result = kit.connector().perform("reply", ActionTarget(comment, "", post, text="Answer"))

    created = kit.emulator.store.comment("bluesky", result.platform_id)
    assert created is not None
    assert created.parent_id == comment
    assert created.author.id == kit.account_id


def test_block_creates_one_record_and_unblock_removes_it(kit):
    post = kit.post()
    comment = kit.comment(post, "abuse", author={"id": "did:plc:troll"})
    target = ActionTarget(comment, "did:plc:troll", post)
    connector = kit.connector()

    connector.perform("block", target)
    connector.perform("block", target)
    assert kit.emulator.blocked("bluesky", kit.account_id) == {"did:plc:troll"}
    connector.perform("unblock", target)

    assert kit.emulator.blocked("bluesky", kit.account_id) == set()
    assert [a["action"] for a in kit.emulator.actions] == ["block", "unblock"]


def test_an_app_password_opens_a_session_and_a_new_one_when_it_expires(kit, drain_all):
    comment = kit.comment(kit.post(), "hello")
    credentials = {"identifier": "council.bsky.social", "password": PASSWORD}
    kit.emulator.set_faults("bluesky", "expired_token", count=1, path_contains="listNotifications")

    listed, _, _, _ = drain_all(kit.connector(credentials=credentials))

    assert [c.platform_id for c in listed] == [comment]


def test_a_wrong_app_password_is_a_permanent_error(kit):
    with pytest.raises(PermanentError, match="Invalid identifier or password"):
        kit.connector(credentials={"identifier": "x", "password": "nope"}).fetch_comments(None)
