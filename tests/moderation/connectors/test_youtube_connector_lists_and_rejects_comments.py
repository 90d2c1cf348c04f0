"""YouTube: comment threads across the channel, and moderation through setModerationStatus."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import TransientError


@pytest.fixture
def kit(make_kit):
    return make_kit("youtube")


def test_threads_bring_all_their_replies_even_beyond_the_embedded_few(kit, drain_all):
    video = kit.post("Budget consultation explained")
    top = kit.comment(video, "Why is council tax going up?")
    replies = [kit.comment(video, f"reply {n}", parent_id=top) for n in range(8)]

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert set(by_id) == {top, *replies}
    assert all(by_id[r].parent_platform_id == top for r in replies)
    assert by_id[top].permalink == f"https://www.youtube.com/watch?v={video}&lc={top}"


def test_hide_holds_for_review_and_unhide_publishes_again(kit):
    video = kit.post()
    comment = kit.comment(video, "borderline")
    target = ActionTarget(comment, "", video)
    connector = kit.connector()

    connector.perform("hide", target)
    assert kit.emulator.comment_status("youtube", comment) == "held"
    connector.perform("unhide", target)

    assert kit.emulator.comment_status("youtube", comment) == "visible"


def test_delete_rejects_the_comment_because_youtube_cannot_delete_it(kit):
    video = kit.post()
    comment = kit.comment(video, "abuse")

    kit.connector().perform("remove", ActionTarget(comment, "", video))

    assert kit.emulator.comment_status("youtube", comment) == "rejected"
    assert kit.emulator.actions[-1]["params"]["moderationStatus"] == "rejected"


def test_block_rejects_the_comment_and_bans_its_author(kit):
    video = kit.post()
    comment = kit.comment(video, "abuse", author={"id": "UCtroll", "handle": "@troll"})

    kit.connector().perform("block", ActionTarget(comment, "UCtroll", video))

    assert kit.emulator.comment_status("youtube", comment) == "rejected"
    assert kit.emulator.actions[-1]["action"] == "ban"
    assert "UCtroll" in kit.emulator.blocked("youtube", kit.account_id)


def test_a_reply_joins_the_thread_of_the_comment(kit):
    video = kit.post()
    top = kit.comment(video, "Question")
    nested = kit.comment(video, "Same question", parent_id=top)

    result = kit.connector().perform(
        "reply", ActionTarget(nested, "", video, text="Answer", parent_platform_id=top)
    )

    created = kit.emulator.store.comment("youtube", result.platform_id)
    assert created is not None
    assert created.parent_id == top


def test_an_exhausted_daily_quota_fails_at_once_with_the_wait_until_it_resets(kit):
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults("youtube", "rate_limit", count=1)

    with pytest.raises(TransientError, match="quota") as raised:
        kit.connector().fetch_comments(None)

    assert raised.value.code == "quotaExceeded"
    assert raised.value.retry_after is not None and raised.value.retry_after >= 60
    assert kit.slept == []


def test_a_comment_id_with_a_comma_is_refused_before_it_moderates_two(kit):
    with pytest.raises(Exception, match="comma"):
        kit.connector().perform("hide", ActionTarget("a,b", "", "v"))
    assert kit.emulator.actions == []
