"""Contract: every request the Threads connector sends matches a request in Meta's official
Threads API Postman collection (`specs/threads/…postman_collection.json`): method, path (with the
user id where Meta writes `me`) and query keys. The collection has example answers but no
schemas, so answers are not validated; see docs/connectors.md."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from tests.moderation.connectors.spec_meta import Postman

SPEC = Postman("threads/threads-api.postman_collection.json")


@pytest.fixture
def kit(make_kit):
    return make_kit("threads")


def _check(kit, wire):
    prefix = kit.emulator.base_url("threads")
    return [p for sent in wire.requests for p in SPEC.check_request(sent, prefix)]


def test_listing_posts_and_conversations(kit, wire, drain_all):
    post = kit.post()
    for n in range(3):
        kit.comment(post, f"reply {n}")

    drain_all(kit.connector(page_size=2, http=kit.client(answered=wire)))

    assert _check(kit, wire) == []


@pytest.mark.parametrize("action", ["hide", "unhide", "reply"])
def test_each_action(kit, wire, action):
    post = kit.post()
    reply = kit.comment(post, "hello")

    kit.connector(http=kit.client(answered=wire)).perform(
        action, ActionTarget(reply, "someone", post, text="Thanks")
    )

    assert wire.exchanges
    assert _check(kit, wire) == []
