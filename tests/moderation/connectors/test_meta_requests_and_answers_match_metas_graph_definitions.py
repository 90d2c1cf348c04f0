"""Contract: every Graph API request the Facebook and Instagram connectors send is checked
against Meta's own node definitions (the Business SDK codegen specs in
`specs/facebook|instagram/graph-api-specs/`): the node and edge exist for the method, every
parameter is known (Graph-wide paging and `fields` aside), required ones are sent, enum values
are allowed, and the fields asked for, and those the emulator answers with, belong to the node."""

from __future__ import annotations

import json

import pytest

from moderation.connectors.base import ActionTarget
from tests.moderation.connectors.spec_contract import split
from tests.moderation.connectors.spec_meta import GraphNodes

SPEC = GraphNodes(
    "facebook/graph-api-specs/Page.json",
    "facebook/graph-api-specs/PagePost.json",
    "facebook/graph-api-specs/Comment.json",
    "instagram/graph-api-specs/IGUser.json",
    "instagram/graph-api-specs/IGMedia.json",
    "instagram/graph-api-specs/IGComment.json",
    "instagram/graph-api-specs/IGUserForIGOnlyAPI.json",
)
RESIDENT = {"id": "24000000000001", "handle": "ana.p", "name": "Ana P"}
# Which node each request addresses: (method, edge) -> (node type, edge in the definition).
FACEBOOK = {
    ("GET", "published_posts"): ("Page", "published_posts"),
    ("GET", "conversations"): ("Page", "conversations"),
    ("POST", "subscribed_apps"): ("Page", "subscribed_apps"),
    ("POST", "messages"): ("Page", "messages"),
    ("POST", "blocked"): ("Page", "blocked"),
    ("DELETE", "blocked"): ("Page", "blocked"),
    ("GET", "comments"): ("PagePost", "comments"),
    ("POST", "comments"): ("Comment", "comments"),
    ("POST", ""): ("Comment", ""),
    ("DELETE", ""): ("Comment", ""),
}
INSTAGRAM = {
    ("GET", "media"): ("IGUser", "media"),
    ("GET", "conversations"): ("IGUserForIGOnlyAPI", "conversations"),
    ("POST", "subscribed_apps"): ("IGUserForIGOnlyAPI", "subscribed_apps"),
    ("POST", "messages"): ("IGUserForIGOnlyAPI", "messages"),
    ("GET", "comments"): ("IGMedia", "comments"),
    ("GET", "replies"): ("IGComment", "replies"),
    ("POST", "replies"): ("IGComment", "replies"),
    ("POST", ""): ("IGComment", ""),
    ("DELETE", ""): ("IGComment", ""),
}
# Objects in list answers, by the node type that lists them.
LISTED = {
    ("facebook", "published_posts"): "PagePost",
    ("facebook", "comments"): "Comment",
    ("instagram", "media"): "IGMedia",
    ("instagram", "comments"): "IGComment",
    ("instagram", "replies"): "IGComment",
}


def _check(kit, wire):
    prefix = kit.emulator.base_url(kit.platform)
    table = FACEBOOK if kit.platform == "facebook" else INSTAGRAM
    problems = []
    for sent, answer in wire.exchanges:
        path, _, _ = split(sent, prefix)
        segments = path.strip("/").split("/")[1:]  # drop the version
        edge = segments[1] if len(segments) > 1 else ""
        node, endpoint = table[(sent.method, edge)]
        problems += SPEC.check_request(sent, prefix, node, endpoint)
        listed = LISTED.get((kit.platform, edge))
        if sent.method == "GET" and listed:
            for item in answer.json().get("data", []):
                problems += SPEC.check_object(
                    {k: v for k, v in item.items() if k != "replies"}, listed, f"{edge} answer"
                )
    return problems


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_listing_posts_comments_replies_and_messages(make_kit, wire, drain_all, platform):
    kit = make_kit(platform)
    post = kit.post()
    top = kit.comment(post, "first")
    for n in range(3):
        kit.comment(post, f"reply {n}", parent_id=top)
    kit.emulator.add_message(platform, kit.account_id, "a private question", RESIDENT)

    drain_all(kit.connector(page_size=2, http=kit.client(answered=wire)))

    assert any("/conversations" in s.url for s in wire.requests)
    assert _check(kit, wire) == []


@pytest.mark.parametrize(
    ("platform", "action"),
    [("facebook", a) for a in ("hide", "unhide", "remove", "reply", "block", "unblock")]
    + [("instagram", a) for a in ("hide", "unhide", "remove", "reply")],
)
def test_each_action(make_kit, wire, platform, action):
    kit = make_kit(platform)
    post = kit.post()
    comment = kit.comment(post, "hello", author={"id": "5550001", "name": "Ana"})

    kit.connector(http=kit.client(answered=wire)).perform(
        action, ActionTarget(comment, "5550001", post, text="Thanks")
    )

    assert len(wire.exchanges) == 1
    assert _check(kit, wire) == []


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_subscribing_and_answering_a_private_message(make_kit, wire, platform):
    kit = make_kit(platform)
    mid = kit.emulator.add_message(platform, kit.account_id, "hello", RESIDENT)
    connector = kit.connector(http=kit.client(answered=wire))

    connector.subscribe_webhooks()
    connector.perform("reply", ActionTarget(mid, RESIDENT["id"], "", text="Hi", private=True))

    [_, send] = wire.requests
    sent = dict(p.split("=", 1) for p in send.body.decode().split("&"))
    assert sent["messaging_type"] == "RESPONSE"
    assert json.loads(__import__("urllib.parse").parse.unquote_plus(sent["recipient"])) == {
        "id": RESIDENT["id"]
    }
    assert _check(kit, wire) == []
