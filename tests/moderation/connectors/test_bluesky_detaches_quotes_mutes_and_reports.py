"""Bluesky: a quote of the council's post can be detached (postgate), and accounts muted or
reported (`com.atproto.moderation.createReport`)."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError

QUOTER = {"id": "did:plc:quoter000000000000000001", "handle": "q.bsky.social", "name": "Q"}


@pytest.fixture
def kit(make_kit):
    return make_kit("bluesky")


def _quote(kit):
    post = kit.post("Consultation on the new bus lanes")
    quote = kit.emulator.add_quote("bluesky", kit.account_id, post, "Look at this nonsense", QUOTER)
    return post, quote


def test_a_quote_is_listed_and_can_be_detached_from_the_councils_post(kit, drain_all):
    post, quote = _quote(kit)

    [listed], _, _, _ = drain_all(kit.connector())
    result = kit.connector().perform(
        "detach_quote", ActionTarget(listed.platform_id, QUOTER["id"], listed.post_platform_id)
    )

    assert listed.platform_id == quote
    assert listed.post_platform_id == post
    assert result.ok
    rkey = post.rsplit("/", 1)[-1]
    gate = kit.emulator.store.records[(kit.account_id, "app.bsky.feed.postgate", rkey)]
    assert gate["value"]["detachedEmbeddingUris"] == [quote]
    assert gate["value"]["post"] == post


def test_a_quote_of_someone_elses_post_cannot_be_detached(kit):
    other = "at://did:plc:someoneelse/app.bsky.feed.post/3kabc"
    with pytest.raises(PermanentError):
        kit.connector().perform(
            "detach_quote", ActionTarget("at://x/app.bsky.feed.post/1", "", other)
        )


def test_an_account_is_muted_and_a_post_reported(kit):
    post = kit.post()
    comment = kit.comment(post, "spam spam", author=QUOTER)
    connector = kit.connector()

    connector.perform("mute", ActionTarget(comment, QUOTER["id"], post))
    connector.perform("report", ActionTarget(comment, QUOTER["id"], post, text="Spam flood"))

    actions = [(a["action"], a["target"]) for a in kit.emulator.actions]
    assert ("mute", QUOTER["id"]) in actions
    assert ("report", comment) in actions
    report = next(a for a in kit.emulator.actions if a["action"] == "report")
    assert report["params"]["reasonType"] == "com.atproto.moderation.defs#reasonOther"
    assert report["params"]["reason"] == "Spam flood"
