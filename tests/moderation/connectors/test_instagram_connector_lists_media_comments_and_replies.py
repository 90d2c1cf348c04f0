"""Instagram: comments and their replies across recent media, and hide/delete/reply."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError


@pytest.fixture
def kit(make_kit):
    return make_kit("instagram")


def test_replies_come_with_their_top_level_comment_and_the_media_permalink(kit, drain_all):
    media = kit.post("New play park opens")
    top = kit.comment(media, "Lovely!", author={"id": "178414000111", "handle": "buyer_jo"})
    reply = kit.comment(media, "Agreed", parent_id=top)

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert by_id[reply].parent_platform_id == top
    assert by_id[top].author.handle == "buyer_jo"
    assert by_id[top].permalink.startswith("https://www.instagram.com/p/")


def test_replies_beyond_the_embedded_page_are_fetched(kit, drain_all):
    media = kit.post()
    top = kit.comment(media, "Question")
    replies = [kit.comment(media, f"reply {n}", parent_id=top) for n in range(30)]

    listed, _, _, _ = drain_all(kit.connector())

    assert set(replies) <= {c.platform_id for c in listed}


def test_hide_unhide_and_delete_reach_instagram(kit):
    media = kit.post()
    comment = kit.comment(media, "nasty")
    target = ActionTarget(comment, "", media)
    connector = kit.connector()

    connector.perform("hide", target)
    assert kit.emulator.comment_status("instagram", comment) == "hidden"
    connector.perform("unhide", target)
    assert kit.emulator.comment_status("instagram", comment) == "visible"
    connector.perform("remove", target)

    assert kit.emulator.comment_status("instagram", comment) == "deleted"
    assert [a["action"] for a in kit.emulator.actions] == ["hide", "unhide", "delete"]


def test_a_reply_to_a_reply_goes_under_its_top_level_comment(kit):
    media = kit.post()
    top = kit.comment(media, "Question")
    nested = kit.comment(media, "Me too", parent_id=top)

    result = kit.connector().perform(
        "reply", ActionTarget(nested, "", media, text="We'll check.", parent_platform_id=top)
    )

    created = kit.emulator.store.comment("instagram", result.platform_id)
    assert created is not None
    assert created.parent_id == top


def test_a_hidden_comment_cannot_be_replied_to_and_instagram_says_so(kit):
    media = kit.post()
    comment = kit.comment(media, "hidden one", status="hidden")

    with pytest.raises(PermanentError, match="Cannot reply to a hidden comment"):
        kit.connector().perform("reply", ActionTarget(comment, "", media, text="Hi"))
