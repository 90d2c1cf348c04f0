"""Bluesky: one session per channel, kept between polls and actions, refreshed, rarely re-opened.

Bluesky allows about 30 logins (`createSession`) per 5 minutes and 100 a day per account. A
connector built for every poll and every action must therefore reuse the channel's stored
session, refresh it with `refreshSession` when the access token expires, and log in again only
when the refresh token is dead. The new session is handed to `on_refresh` to be stored.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.bluesky import BlueskyConnector
from moderation.connectors.errors import TransientError
from moderation.emulator.bluesky import PASSWORD

LOGIN = {"identifier": "council.bsky.social", "password": PASSWORD}


@pytest.fixture
def kit(make_kit):
    return make_kit("bluesky")


class Channel:
    """What the database does for a channel: keep the credentials each refresh hands over."""

    def __init__(self, credentials):
        self.credentials = dict(credentials)

    def connector(self, kit):
        config = replace(
            kit.config(self.credentials), on_refresh=lambda c: self.credentials.update(c)
        )
        return BlueskyConnector(config, kit.http)


def _calls(kit, nsid):
    return kit.emulator.store.xrpc_calls.get(nsid, 0)


def test_polls_and_actions_share_one_login(kit):
    post = kit.post()
    comment = kit.comment(post, "Is the tip open?")
    channel = Channel(LOGIN)

    for _ in range(5):
        channel.connector(kit).fetch_comments(None)
    channel.connector(kit).perform("reply", ActionTarget(comment, "", post, text="Yes, 8-4."))

    assert _calls(kit, "com.atproto.server.createSession") == 1
    assert channel.credentials["access_token"].startswith("jwt-")
    assert channel.credentials["refresh_token"].startswith("refresh-")
    assert channel.credentials["password"] == PASSWORD  # the rest is kept


def test_an_expired_access_token_is_refreshed_not_logged_in_again(kit):
    kit.comment(kit.post(), "hello")
    channel = Channel(LOGIN)
    channel.connector(kit).fetch_comments(None)
    first = channel.credentials["access_token"]
    kit.emulator.expire_access_token(first)

    page = channel.connector(kit).fetch_comments(None)

    assert [c.text for c in page.comments] == ["hello"]
    assert _calls(kit, "com.atproto.server.refreshSession") == 1
    assert _calls(kit, "com.atproto.server.createSession") == 1
    assert channel.credentials["access_token"] not in ("", first)


def test_a_dead_refresh_token_leads_to_one_new_login(kit):
    kit.comment(kit.post(), "hello")
    channel = Channel(LOGIN)
    channel.connector(kit).fetch_comments(None)
    kit.emulator.expire_access_token(channel.credentials["access_token"])
    kit.emulator.expire_access_token(channel.credentials["refresh_token"])

    page = channel.connector(kit).fetch_comments(None)

    assert [c.text for c in page.comments] == ["hello"]
    assert _calls(kit, "com.atproto.server.createSession") == 2


def test_the_login_quota_is_a_wait_not_a_retry_storm(kit, slept):
    for _ in range(30):
        Channel(LOGIN).connector(kit).fetch_comments(None)

    with pytest.raises(TransientError) as raised:
        Channel(LOGIN).connector(kit).fetch_comments(None)

    assert raised.value.status == 429
    assert raised.value.retry_after is not None and raised.value.retry_after > 60
    assert "log" in str(raised.value).lower()
    assert _calls(kit, "com.atproto.server.createSession") == 31
    assert slept == []
