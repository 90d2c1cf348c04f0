"""What every one of the nine connectors promises, checked against the emulator over HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from moderation.connectors.base import ACTIONS, PLATFORMS, ActionTarget
from moderation.connectors.errors import PermanentError, TransientError

EXPIRED_TOKEN_WORDS = {
    "facebook": "Session has expired",
    "instagram": "Session has expired",
    "threads": "Session has expired",
    "youtube": "invalid authentication credentials",
    "x": "Unauthorized",
    "linkedin": "token used in the request has expired",
    "mastodon": "access token is invalid",
    "bluesky": "Token has expired",
    "tiktok": "access token has expired",
}
# The smallest page each platform accepts, so that a dozen comments span several pages.
SMALL_PAGE = {"x": 5}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_listing_spans_pages_and_resumes_from_the_cursor_without_loss(
    make_kit, drain_all, platform
):
    kit = make_kit(platform)
    post = kit.post()
    first = [kit.comment(post, f"comment {n}") for n in range(12)]
    connector = kit.connector(page_size=SMALL_PAGE.get(platform, 4))

    listed, problems, cursor, pages = drain_all(connector)

    assert sorted(c.platform_id for c in listed) == sorted(first)
    assert pages >= 2
    assert problems == []
    later = [kit.comment(post, f"later {n}") for n in range(3)]
    resumed, _, _, _ = drain_all(connector, cursor)
    assert sorted(c.platform_id for c in resumed) == sorted(later)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_caught_up_channel_answers_none_and_nothing_new(make_kit, drain_all, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "hello")
    connector = kit.connector()
    _, _, cursor, _ = drain_all(connector)

    page = connector.fetch_comments(cursor)

    assert page.comments == ()
    assert page.next_cursor is None


@pytest.mark.parametrize("platform", PLATFORMS)
def test_comments_are_aware_utc_with_the_authors_id(make_kit, drain_all, platform):
    kit = make_kit(platform)
    comment_id = kit.comment(kit.post(), "Is the tip open on Sunday?")

    [comment], _, _, _ = drain_all(kit.connector())

    assert comment.platform_id == comment_id
    assert comment.text == "Is the tip open on Sunday?"
    assert comment.created_at.utcoffset() == timedelta(0)
    assert comment.author.platform_id
    assert comment.parent_platform_id == ""
    assert comment.permalink.startswith("https://") or comment.permalink == ""


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_comment_older_than_the_backfill_period_is_not_listed(make_kit, drain_all, platform):
    kit = make_kit(platform)
    post = kit.post()
    kit.comment(post, "old news", created_at=datetime.now(UTC) - timedelta(days=30))
    recent = kit.comment(post, "fresh")

    listed, _, _, _ = drain_all(kit.connector())

    assert [c.platform_id for c in listed] == [recent]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_malformed_item_is_reported_and_the_rest_are_kept(make_kit, drain_all, platform):
    kit = make_kit(platform)
    post = kit.post()
    good = [kit.comment(post, f"fine {n}") for n in range(3)]
    kit.malformed_comment(post)

    listed, problems, _, _ = drain_all(kit.connector())

    assert sorted(c.platform_id for c in listed) == sorted(good)
    assert len(problems) == 1
    assert "skipped" in problems[0]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_nul_and_lone_surrogates_in_text_become_replacement_characters(
    make_kit, drain_all, platform
):
    kit = make_kit(platform)
    kit.comment(kit.post(), "a\x00b\ud800c")

    [comment], _, _, _ = drain_all(kit.connector())

    assert comment.text == "a\ufffdb\ufffdc"
    # The raw item is kept too, and must be storable: no NUL or lone surrogate anywhere in it.
    raw_text = json.dumps(comment.raw)
    assert "a\\ufffdb\\ufffdc" in raw_text
    assert "\\u0000" not in raw_text and "\\ud800" not in raw_text


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_disallowed_action_raises_a_permanent_error_naming_why(make_kit, platform):
    kit = make_kit(platform)
    connector = kit.connector()
    target = ActionTarget("c1", "a1", "p1", text="Thanks")
    refused = [action for action in ACTIONS if not connector.capabilities.allows(action)]

    for action in refused:
        with pytest.raises(PermanentError) as raised:
            connector.perform(action, target)
        assert connector.capabilities.notes[action] in str(raised.value)
        assert raised.value.code == "not_supported"
    assert kit.emulator.actions == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_429_with_retry_after_is_retried_after_the_wait_it_asks_for(
    make_kit, drain_all, platform
):
    kit = make_kit(platform)
    comment_id = kit.comment(kit.post(), "hello")
    kit.emulator.set_faults(platform, "429", count=1, retry_after=2)

    listed, _, _, _ = drain_all(kit.connector())

    assert [c.platform_id for c in listed] == [comment_id]
    # X and Mastodon give a reset time rather than a delay, so theirs is about 2 s too.
    assert len(kit.slept) == 1
    assert 0.5 <= kit.slept[0] <= 3


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_500_is_retried_then_raised_as_a_transient_error(make_kit, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults(platform, "500", count=10)

    with pytest.raises(TransientError) as raised:
        kit.connector().fetch_comments(None)

    assert raised.value.status == 500
    assert raised.value.permanent is False
    assert len(kit.slept) == kit.http.max_retries


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_platform_that_does_not_answer_in_time_raises_a_transient_error(make_kit, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults(platform, "hang", count=5, hang_seconds=3)
    impatient = kit.client(timeout=(1.0, 0.2), max_retries=1)

    with pytest.raises(TransientError) as raised:
        kit.connector(http=impatient).fetch_comments(None)

    assert "did not answer in time" in str(raised.value)
    assert len(kit.slept) == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_expired_token_raises_a_permanent_error_with_the_platforms_message(make_kit, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults(platform, "expired_token", count=1)

    with pytest.raises(PermanentError) as raised:
        kit.connector().fetch_comments(None)

    assert EXPIRED_TOKEN_WORDS[platform] in str(raised.value)
    assert kit.slept == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_channel_without_a_token_fails_before_calling_the_platform(make_kit, platform):
    kit = make_kit(platform)

    with pytest.raises(PermanentError) as raised:
        kit.connector(credentials={}).fetch_comments(None)

    assert raised.value.code in ("no_token", "no_instance")
    assert kit.emulator.state()["actions"] == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_unreadable_cursor_restarts_the_backfill_and_says_so(make_kit, drain_all, platform):
    kit = make_kit(platform)
    comment_id = kit.comment(kit.post(), "hello")

    listed, problems, _, _ = drain_all(kit.connector(), "{not json")

    assert [c.platform_id for c in listed] == [comment_id]
    assert "could not be read" in problems[0]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_many_comments_in_the_same_second_are_each_listed_once(make_kit, drain_all, platform):
    kit = make_kit(platform)
    post = kit.post()
    second = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    burst = [kit.comment(post, f"burst {n}", created_at=second) for n in range(120)]
    connector = kit.connector()

    listed, _, cursor, _ = drain_all(connector)
    assert sorted(c.platform_id for c in listed) == sorted(burst)
    more = [kit.comment(post, f"more {n}", created_at=second) for n in range(5)]
    resumed, _, _, _ = drain_all(connector, cursor)

    assert sorted(c.platform_id for c in resumed) == sorted(more)


@pytest.mark.parametrize("platform", ["facebook", "instagram", "threads", "linkedin", "tiktok"])
def test_a_comment_on_a_post_already_read_in_this_sweep_is_not_lost(make_kit, drain_all, platform):
    kit = make_kit(platform)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    older_post = kit.post("older", created_at=an_hour_ago - timedelta(hours=1))
    newer_post = kit.post("newer", created_at=an_hour_ago)
    kit.comment(newer_post, "first", created_at=an_hour_ago + timedelta(minutes=1))
    kit.comment(older_post, "latest", created_at=an_hour_ago + timedelta(minutes=30))
    connector = kit.connector()

    first_page = connector.fetch_comments(None)  # the newer post is read first
    late = kit.comment(newer_post, "late", created_at=an_hour_ago + timedelta(minutes=10))
    rest, _, _, _ = drain_all(connector, first_page.next_cursor)

    assert [c.text for c in first_page.comments] == ["first"]
    assert late in {c.platform_id for c in rest}


# What the emulator records when an action arrives, where the platform calls it differently.
RECORDED_AS = {
    "facebook": {"remove": "delete"},
    "instagram": {"remove": "delete"},
    "youtube": {"remove": "reject", "block": "ban"},
}
AUTHOR = {"bluesky": "did:plc:resident0001", "linkedin": "urn:li:person:resident1"}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_allowed_action_reaches_the_platform(make_kit, platform):
    kit = make_kit(platform)
    post = kit.post()
    author = AUTHOR.get(platform, "4040404")
    comment = kit.comment(post, "needs moderating", author={"id": author, "handle": "someone"})
    connector = kit.connector()
    order = ("hide", "unhide", "reply", "block", "unblock", "remove")
    allowed = [action for action in order if connector.capabilities.allows(action)]

    for action in allowed:
        result = connector.perform(action, ActionTarget(comment, author, post, text="Thanks"))
        assert result.ok, action

    renamed = RECORDED_AS.get(platform, {})
    assert [a["action"] for a in kit.emulator.actions] == [renamed.get(a, a) for a in allowed]
