"""X: mentions since the last poll, hiding replies and replying."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError


@pytest.fixture
def kit(make_kit):
    return make_kit("x")


def test_mentions_carry_the_conversation_the_author_and_a_permalink(kit, drain_all):
    post = kit.post("Library hours change")
    reply = kit.comment(
        post, "@council why?", author={"id": "2244", "handle": "samlee", "name": "Sam Lee"}
    )
    nested = kit.comment(post, "@samlee agreed", parent_id=reply)

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert by_id[reply].post_platform_id == post
    assert by_id[reply].parent_platform_id == ""
    assert by_id[nested].parent_platform_id == reply
    assert by_id[reply].author.handle == "samlee"
    assert by_id[reply].author.display_name == "Sam Lee"
    assert by_id[reply].permalink == f"https://x.com/samlee/status/{reply}"


def test_hide_and_unhide_reach_x(kit):
    post = kit.post()
    reply = kit.comment(post, "rude")
    connector = kit.connector()

    first = connector.perform("hide", ActionTarget(reply, "", post))
    assert kit.emulator.comment_status("x", reply) == "hidden"
    connector.perform("unhide", ActionTarget(reply, "", post))

    assert first.ok
    assert first.platform_response == {"data": {"hidden": True}}
    assert kit.emulator.comment_status("x", reply) == "visible"


def test_a_reply_is_posted_in_the_conversation(kit):
    post = kit.post()
    reply = kit.comment(post, "When?")

    result = kit.connector().perform("reply", ActionTarget(reply, "", post, text="Tomorrow."))

    created = kit.emulator.store.comment("x", result.platform_id)
    assert created is not None
    assert created.parent_id == reply


def test_hiding_the_councils_own_post_is_refused_with_xs_reason(kit):
    post = kit.post()
    own = kit.comment(post, "Update", author={"id": kit.account_id})

    with pytest.raises(PermanentError, match="cannot hide your own reply"):
        kit.connector().perform("hide", ActionTarget(own, kit.account_id, post))
