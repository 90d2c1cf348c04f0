"""Contract: every request the YouTube connector sends, and the emulator's answers, are checked
against Google's discovery document for YouTube Data API v3 (`specs/youtube/…discovery.json`).
The token endpoint (oauth2.googleapis.com) is not in it; see docs/connectors.md."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from tests.moderation.connectors.spec_discovery import Discovery

SPEC = Discovery("youtube/youtube.v3.discovery.json")
RESPONSES = {
    "/youtube/v3/commentThreads": "youtube.commentThreads.list",
    "/youtube/v3/comments": "youtube.comments.list",
}


@pytest.fixture
def kit(make_kit):
    return make_kit("youtube")


def _check(kit, wire):
    prefix = kit.emulator.base_url("youtube")
    problems = []
    for sent, answer in wire.exchanges:
        problems += SPEC.check_request(sent, prefix)
        path = sent.url.split("?")[0].removeprefix(prefix)
        if sent.method == "GET" and path in RESPONSES:
            problems += SPEC.check_response(RESPONSES[path], answer.json())
        if sent.method == "POST" and path == "/youtube/v3/comments":
            problems += SPEC.check_response("youtube.comments.insert", answer.json())
    return problems


def test_listing_published_held_and_spam_threads_and_long_reply_lists(kit, wire, drain_all):
    video = kit.post()
    top = kit.comment(video, "first")
    for n in range(25):
        kit.comment(video, f"reply {n}", parent_id=top)
    kit.comment(video, "held", status="held")
    kit.comment(video, "spam", status="spam")
    connector = kit.connector(page_size=2, http=kit.client(answered=wire))

    drain_all(connector)

    urls = [s.url for s in wire.requests]
    assert any("moderationStatus=heldForReview" in u for u in urls)
    assert any("moderationStatus=likelySpam" in u for u in urls)
    assert any("/comments?" in u and "parentId=" in u for u in urls)
    assert _check(kit, wire) == []


@pytest.mark.parametrize("action", ["hide", "unhide", "remove", "block", "reply", "approve"])
def test_each_action(kit, wire, action):
    video = kit.post()
    comment = kit.comment(video, "hello", status="held" if action == "approve" else "visible")
    connector = kit.connector(http=kit.client(answered=wire))

    connector.perform(action, ActionTarget(comment, "UCx", video, text="Thanks"))

    assert len(wire.exchanges) == 1
    assert _check(kit, wire) == []


def test_reject(kit, wire):
    video = kit.post()
    comment = kit.comment(video, "spam", status="spam")

    kit.connector(http=kit.client(answered=wire)).perform(
        "reject", ActionTarget(comment, "", video)
    )

    assert _check(kit, wire) == []
