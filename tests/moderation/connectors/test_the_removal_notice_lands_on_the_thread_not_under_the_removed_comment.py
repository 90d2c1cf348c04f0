"""The removal notice is posted where people can still see it once the comment has gone: under
the removed reply's parent comment, or on the council's post for a top-level comment. Checked on
every platform against the emulator, which records where each reply landed."""

from __future__ import annotations

import pytest

from moderation.connectors.base import PLATFORMS, ActionTarget

AUTHOR = {"bluesky": "did:plc:resident0001", "linkedin": "urn:li:person:resident1"}
NOTICE = "A post breaching our policy was removed. You may post it again without that part."


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_notice_for_a_top_level_comment_goes_on_the_post(make_kit, platform):
    kit = make_kit(platform)
    post = kit.post()
    author = AUTHOR.get(platform, "4040404")
    comment = kit.comment(post, "abusive words", author={"id": author, "handle": "someone"})
    connector = kit.connector()
    assert connector.capabilities.allows("notice")

    result = connector.perform("notice", ActionTarget(comment, author, post, text=NOTICE))

    assert result.ok
    [recorded] = kit.emulator.actions
    assert recorded["action"] == "reply"
    assert recorded["target"] == post, "the notice must not answer the removed comment itself"
    created = (
        kit.emulator.store.comment(platform, result.platform_id) if result.platform_id else None
    )
    if created is not None:
        assert created.parent_id in ("", post)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_notice_for_a_reply_goes_under_its_parent_comment(make_kit, platform):
    kit = make_kit(platform)
    post = kit.post()
    author = AUTHOR.get(platform, "4040404")
    parent = kit.comment(post, "When is the tip open?")
    reply = kit.comment(
        post, "abusive words", parent_id=parent, author={"id": author, "handle": "someone"}
    )
    connector = kit.connector()

    result = connector.perform(
        "notice", ActionTarget(reply, author, post, text=NOTICE, parent_platform_id=parent)
    )

    assert result.ok
    [recorded] = kit.emulator.actions
    assert recorded["target"] == parent


def test_a_notice_needs_a_thread_to_go_on(make_kit):
    from moderation.connectors.errors import PermanentError

    kit = make_kit("facebook")
    with pytest.raises(PermanentError, match="no thread"):
        kit.connector().perform("notice", ActionTarget("c1", "a1", "", text=NOTICE))
