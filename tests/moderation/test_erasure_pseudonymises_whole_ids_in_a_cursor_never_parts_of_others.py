"""Erasing a person replaces their comments' ids in each channel's poll cursor with pseudonyms,
so the next poll still knows them. Only whole ids are replaced: a short id ("7") inside a
timestamp, another id ("17") or a fingerprint is left alone, or the cursor would no longer say
what the poll has read. Cursors kept inside a cursor (as JSON text) and the author's DID inside
an AT Protocol URI are found too."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moderation.actions.erasure import erased_id
from moderation.actions.erasure_on_request import do_erase_author_data
from moderation.connectors.sweep import encode_cursor
from moderation.models import Channel
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory

pytestmark = pytest.mark.django_db

NEWEST = "2026-12-07T10:17:07+00:00"


def _erase(author: Any, adam: Any) -> None:
    do_erase_author_data(author, actor=adam, requested_by="the person", reason="asked by email")


def test_a_short_id_is_replaced_only_where_it_is_the_whole_id(adam: Any) -> None:
    channel = ChannelFactory(platform="mastodon")
    author = AuthorFactory(platform="mastodon", platform_id="70")
    CommentFactory(channel=channel, author=author, platform_id="7")
    cursor = encode_cursor(
        "mastodon-notifications",
        {"w": NEWEST, "fence": ["7", "17", "77", "700"], "bad": ["7a7b7c7d7e7f"]},
    )
    Channel.objects.filter(pk=channel.pk).update(cursor=cursor)

    _erase(author, adam)

    state = json.loads(Channel.objects.get(pk=channel.pk).cursor)
    assert state["fence"] == [erased_id("7"), "17", "77", "700"]
    assert state["w"] == NEWEST
    assert state["bad"] == ["7a7b7c7d7e7f"]


def test_ids_in_a_cursor_kept_inside_a_cursor_are_replaced(adam: Any) -> None:
    channel = ChannelFactory(platform="youtube")
    author = AuthorFactory(platform="youtube", platform_id="UCperson")
    CommentFactory(channel=channel, author=author, platform_id="Ugx7")
    inner = encode_cursor("youtube-threads", {"w": NEWEST, "fence": ["Ugx7", "Ugx77"]})
    Channel.objects.filter(pk=channel.pk).update(cursor=json.dumps({"published": inner}))

    _erase(author, adam)

    outer = json.loads(Channel.objects.get(pk=channel.pk).cursor)
    state = json.loads(outer["published"])
    assert state["fence"] == [erased_id("Ugx7"), "Ugx77"]
    assert state["w"] == NEWEST and state["kind"] == "youtube-threads"


def test_the_authors_did_inside_a_uri_is_replaced(adam: Any) -> None:
    did = "did:plc:person4242"
    channel = ChannelFactory(platform="bluesky")
    author = AuthorFactory(platform="bluesky", platform_id=did)
    mine = f"at://{did}/app.bsky.feed.post/3k1"
    CommentFactory(channel=channel, author=author, platform_id=mine)
    unread = f"at://{did}/app.bsky.feed.post/3k9"  # read by the poll, never stored
    other = "at://did:plc:someoneelse/app.bsky.feed.post/3k1"
    cursor = encode_cursor("bluesky-notifications", {"w": NEWEST, "fence": [mine, unread, other]})
    Channel.objects.filter(pk=channel.pk).update(cursor=cursor)

    _erase(author, adam)

    stored = Channel.objects.get(pk=channel.pk).cursor
    assert did not in stored
    fence = json.loads(stored)["fence"]
    assert fence[0] == erased_id(mine)
    assert fence[1] == f"at://{erased_id(did)}/app.bsky.feed.post/3k9"
    assert fence[2] == other
