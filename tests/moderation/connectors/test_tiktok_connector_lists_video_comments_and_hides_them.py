"""TikTok: comments across recent videos, hide/unhide and short replies."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError, TransientError


@pytest.fixture
def kit(make_kit):
    return make_kit("tiktok")


def test_comments_and_replies_are_listed_with_their_video(kit, drain_all):
    video = kit.post("Recycling explained")
    top = kit.comment(video, "link pls", author={"id": "u_abc", "handle": "fan_99"})
    reply = kit.comment(video, "same", parent_id=top)

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert by_id[top].author.handle == "fan_99"
    assert by_id[top].post_platform_id == video
    assert by_id[reply].parent_platform_id == top


def test_hide_and_unhide_reach_tiktok(kit):
    video = kit.post()
    comment = kit.comment(video, "rude")
    connector = kit.connector()

    connector.perform("hide", ActionTarget(comment, "", video))
    assert kit.emulator.comment_status("tiktok", comment) == "hidden"
    connector.perform("unhide", ActionTarget(comment, "", video))

    assert kit.emulator.comment_status("tiktok", comment) == "visible"


def test_a_reply_longer_than_150_characters_is_refused_before_sending(kit):
    video = kit.post()
    comment = kit.comment(video, "question")

    with pytest.raises(PermanentError, match="at most 150"):
        kit.connector().perform("reply", ActionTarget(comment, "", video, text="x" * 151))
    assert kit.emulator.actions == []


def test_a_short_reply_is_posted(kit):
    video = kit.post()
    comment = kit.comment(video, "question")

    result = kit.connector().perform("reply", ActionTarget(comment, "", video, text="Answer"))

    assert kit.emulator.store.comment("tiktok", result.platform_id) is not None


def test_an_error_inside_an_http_200_envelope_is_still_an_error(kit):
    with pytest.raises(PermanentError, match="comment_id not found") as raised:
        kit.connector().perform("hide", ActionTarget("123", "", "456"))
    assert raised.value.code == "40002"


def test_a_rate_limit_code_in_an_http_200_is_retried_then_transient(kit):
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults("tiktok", "rate_limit", count=10)

    with pytest.raises(TransientError, match="Too many requests"):
        kit.connector().fetch_comments(None)
    assert len(kit.slept) == kit.http.max_retries
