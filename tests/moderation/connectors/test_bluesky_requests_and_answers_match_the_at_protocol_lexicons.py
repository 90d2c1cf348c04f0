"""Contract: every XRPC call the Bluesky connector makes, the records it writes, and the
emulator's answers, are checked against the AT Protocol lexicons (`specs/bluesky/lexicons/`)."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.bluesky import BlueskyConnector
from moderation.emulator.bluesky import PASSWORD
from tests.moderation.connectors.spec_lexicons import Lexicons

SPEC = Lexicons("bluesky/lexicons")
QUOTER = {"id": "did:plc:quoter000000000000000001", "handle": "q.bsky.social", "name": "Q"}


@pytest.fixture
def kit(make_kit):
    return make_kit("bluesky")


def _check(kit, wire):
    prefix = kit.emulator.base_url("bluesky")
    problems = []
    for sent, answer in wire.exchanges:
        problems += SPEC.check_request(sent, prefix)
        nsid = sent.url.split("?")[0].rsplit("/", 1)[-1]
        if answer.ok and answer.content:
            problems += SPEC.check_output(nsid, answer.json())
    return problems


def test_sessions_and_listing_notifications(kit, wire, drain_all):
    post = kit.post()
    for n in range(3):
        kit.comment(post, f"reply {n}")
    kit.emulator.add_quote("bluesky", kit.account_id, post, "quoting", QUOTER)
    config = kit.config({"identifier": "council.bsky.social", "password": PASSWORD})
    connector = BlueskyConnector(config, kit.client(answered=wire), page_size=2)

    drain_all(connector)
    kit.emulator.expire_access_token(connector.app_password.credentials["access_token"])
    connector.fetch_comments(None)

    nsids = {s.url.split("?")[0].rsplit("/", 1)[-1] for s in wire.requests}
    assert {
        "com.atproto.server.createSession",
        "com.atproto.server.refreshSession",
        "app.bsky.notification.listNotifications",
    } <= nsids
    assert _check(kit, wire) == []


@pytest.mark.parametrize(
    "action", ["hide", "unhide", "reply", "block", "unblock", "mute", "report", "detach_quote"]
)
def test_each_action(kit, wire, action):
    post = kit.post()
    if action == "detach_quote":
        comment = kit.emulator.add_quote("bluesky", kit.account_id, post, "q", QUOTER)
    else:
        comment = kit.comment(post, "hello", author=QUOTER)
    connector = kit.connector(http=kit.client(answered=wire))
    if action == "unblock":
        connector.perform("block", ActionTarget(comment, QUOTER["id"], post))

    connector.perform(action, ActionTarget(comment, QUOTER["id"], post, text="Reason"))

    assert wire.exchanges
    assert _check(kit, wire) == []
