"""Threads: replies across the council's posts, hiding top-level replies, two-step replies."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError


@pytest.fixture
def kit(make_kit):
    return make_kit("threads")


def test_nested_replies_keep_their_parent_and_the_username_is_the_author(kit, drain_all):
    post = kit.post()
    top = kit.comment(post, "Shipping to Canada?", author={"id": "kim_t", "handle": "kim_t"})
    nested = kit.comment(post, "No idea", parent_id=top)

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert by_id[top].parent_platform_id == ""
    assert by_id[top].author.platform_id == "kim_t"
    assert by_id[nested].parent_platform_id == top


def test_hide_and_unhide_a_top_level_reply(kit):
    post = kit.post()
    reply = kit.comment(post, "rude")
    connector = kit.connector()

    connector.perform("hide", ActionTarget(reply, "", post))
    assert kit.emulator.comment_status("threads", reply) == "hidden"
    connector.perform("unhide", ActionTarget(reply, "", post))

    assert kit.emulator.comment_status("threads", reply) == "visible"


def test_hiding_a_nested_reply_is_refused_without_calling_threads(kit):
    post = kit.post()
    top = kit.comment(post, "fine")
    nested = kit.comment(post, "rude", parent_id=top)

    with pytest.raises(PermanentError, match="directly under its post"):
        kit.connector().perform("hide", ActionTarget(nested, "", post, parent_platform_id=top))
    assert kit.emulator.actions == []


def test_a_reply_is_created_then_published(kit):
    post = kit.post()
    reply = kit.comment(post, "When?")

    result = kit.connector().perform("reply", ActionTarget(reply, "", post, text="Soon."))

    created = kit.emulator.store.comment("threads", result.platform_id)
    assert created is not None
    assert created.parent_id == reply
    assert created.text == "Soon."
    assert set(result.platform_response) == {"container", "published"}
