"""Contract: every request the Mastodon connector sends, and the emulator's answers, are checked
against the OpenAPI definition generated from Mastodon's documentation
(`specs/mastodon/openapi/schema.json`, community-made from the official docs, GFDL)."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from tests.moderation.connectors.spec_openapi import OpenApi

SPEC = OpenApi("mastodon/openapi/schema.json", brackets=True)


@pytest.fixture
def kit(make_kit):
    return make_kit("mastodon")


def _check(kit, wire):
    prefix = kit.emulator.base_url("mastodon")
    problems = []
    for sent, answer in wire.exchanges:
        problems += SPEC.check_request(sent, prefix)
        path = sent.url.split("?")[0].removeprefix(prefix)
        problems += SPEC.check_response(sent.method, path, answer.status, answer.json())
    return problems


def test_listing_mentions(kit, wire, drain_all):
    post = kit.post()
    for n in range(5):
        kit.comment(post, f"@council {n}")
    connector = kit.connector(page_size=2, http=kit.client(answered=wire))

    _, _, cursor, _ = drain_all(connector)
    kit.comment(post, "@council later")
    drain_all(connector, cursor)

    assert any("max_id=" in s.url for s in wire.requests)
    assert any("since_id=" in s.url for s in wire.requests)
    assert _check(kit, wire) == []


@pytest.mark.parametrize("action", ["reply", "block", "unblock", "mute", "report"])
def test_each_action(kit, wire, action):
    post = kit.post()
    status = kit.comment(post, "@council hi", author={"id": "971999", "handle": "x@other.example"})
    connector = kit.connector(http=kit.client(answered=wire))

    connector.perform(action, ActionTarget(status, "971999", post, text="Thanks"))

    assert wire.exchanges
    assert _check(kit, wire) == []
