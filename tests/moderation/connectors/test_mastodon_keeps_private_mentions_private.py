"""Mastodon: direct and followers-only mentions are private items, and a reply never widens the
visibility of what it answers; report (with forward) and mute are offered."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.mastodon import CAPABILITIES


@pytest.fixture
def kit(make_kit):
    return make_kit("mastodon")


def test_a_direct_mention_is_a_private_item(kit, drain_all):
    post = kit.post()
    public = kit.comment(post, "@council when is the tip open?")
    direct = kit.comment(post, "@council my FOI request", overrides={"status.visibility": "direct"})

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert by_id[public].private is False
    assert by_id[direct].private is True


@pytest.mark.parametrize("visibility", ["public", "unlisted", "private", "direct"])
def test_a_reply_has_the_visibility_of_the_status_it_answers(kit, visibility):
    post = kit.post()
    status = kit.comment(post, "@council hi", overrides={"status.visibility": visibility})

    result = kit.connector().perform(
        "reply",
        ActionTarget(status, "", post, text="Thanks", private=visibility in ("private", "direct")),
    )

    created = kit.emulator.store.comment("mastodon", result.platform_id)
    assert created is not None
    assert created.overrides.get("status.visibility", "public") == visibility
    sent = next(a for a in kit.emulator.actions if a["action"] == "reply")
    assert sent["params"]["visibility"] == visibility


def test_an_author_is_muted_and_a_post_reported_with_forwarding(kit):
    post = kit.post()
    author = {"id": "971999", "handle": "troll@other.example", "name": "T"}
    status = kit.comment(post, "abuse", author=author)
    connector = kit.connector()

    connector.perform("mute", ActionTarget(status, "971999", post))
    connector.perform("report", ActionTarget(status, "971999", post, text="Abusive"))

    report = next(a for a in kit.emulator.actions if a["action"] == "report")
    assert report["target"] == "971999"
    assert report["params"]["status_ids"] == [status]
    assert report["params"]["forward"] is True
    assert report["params"]["comment"] == "Abusive"
    assert any(a["action"] == "mute" for a in kit.emulator.actions)


def test_the_block_note_does_not_claim_the_posts_disappear():
    note = CAPABILITIES.notes["block"].lower()
    assert "still" in note and "everyone else" in note
    assert CAPABILITIES.mute and CAPABILITIES.report and CAPABILITIES.private_messages
