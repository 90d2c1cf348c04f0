"""YouTube: comments YouTube itself holds (`heldForReview`, `likelySpam`) reach officers, who
approve (publish) or reject them; "Remove" says it is a permanent rejection."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.youtube import CAPABILITIES


@pytest.fixture
def kit(make_kit):
    return make_kit("youtube")


def test_held_and_likely_spam_comments_are_listed_with_their_status(kit, drain_all):
    video = kit.post()
    published = kit.comment(video, "Thanks for the update")
    held = kit.comment(video, "Check my channel!!", status="held")
    spam = kit.comment(video, "cheap pills", status="spam")

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert set(by_id) == {published, held, spam}
    assert by_id[published].platform_status == ""
    assert by_id[held].platform_status == "heldForReview"
    assert by_id[spam].platform_status == "likelySpam"


def test_a_held_comment_is_approved_or_rejected(kit):
    video = kit.post()
    first = kit.comment(video, "ok", status="held")
    second = kit.comment(video, "not ok", status="spam")
    connector = kit.connector()

    connector.perform("approve", ActionTarget(first, "", video))
    connector.perform("reject", ActionTarget(second, "", video))

    assert kit.emulator.comment_status("youtube", first) == "visible"
    assert kit.emulator.comment_status("youtube", second) == "rejected"


def test_remove_is_labelled_as_a_permanent_rejection():
    assert CAPABILITIES.approve and CAPABILITIES.reject
    assert "permanent" in CAPABILITIES.labels["remove"].lower()
    assert "reject" in CAPABILITIES.labels["remove"].lower()
