"""Mastodon: mention notifications, safe replies and blocks."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError


@pytest.fixture
def kit(make_kit):
    return make_kit("mastodon")


def test_status_html_becomes_plain_text_and_the_account_is_the_author(kit, drain_all):
    post = kit.post()
    kit.comment(
        post, "is this <in stock>?\nthanks", author={"id": "971724", "handle": "zed@other.example"}
    )

    [comment], _, _, _ = drain_all(kit.connector())

    assert comment.text == "is this <in stock>?\nthanks"
    assert comment.author.handle == "zed@other.example"
    assert comment.post_platform_id == post
    assert comment.raw["content"].startswith("<p>")


def test_a_reply_sent_twice_posts_once(kit):
    post = kit.post()
    comment = kit.comment(post, "When?")
    target = ActionTarget(comment, "", post, text="Tomorrow.")
    connector = kit.connector()

    first = connector.perform("reply", target)
    second = connector.perform("reply", target)

    assert first.platform_id == second.platform_id
    assert [a["action"] for a in kit.emulator.actions] == ["reply"]


def test_block_and_unblock_reach_the_instance(kit):
    post = kit.post()
    comment = kit.comment(post, "abuse", author={"id": "971799"})
    connector = kit.connector()

    blocked = connector.perform("block", ActionTarget(comment, "971799", post))
    assert kit.emulator.blocked("mastodon", kit.account_id) == {"971799"}
    connector.perform("unblock", ActionTarget(comment, "971799", post))

    assert blocked.platform_response["blocking"] is True
    assert kit.emulator.blocked("mastodon", kit.account_id) == set()


def test_a_channel_without_an_instance_address_is_refused(kit):
    config = kit.config()
    connector = type(kit.connector())(
        type(config)(config.platform, config.account_id, config.credentials), kit.http
    )

    with pytest.raises(PermanentError, match="instance address"):
        connector.fetch_comments(None)
