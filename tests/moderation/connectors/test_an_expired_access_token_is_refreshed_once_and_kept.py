"""YouTube and X: an access token the platform calls expired is refreshed, once, and kept.

Against the emulator over HTTP: the platform answers 401, the connector asks the token endpoint
for a new access token with the channel's refresh token, sends the request again and hands the
new credentials to the channel's ``on_refresh`` callback. X rotates refresh tokens, so the new
one replaces the old, and the old one is refused from then on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest

from moderation.connectors.errors import PermanentError
from moderation.connectors.registry import CONNECTORS

LISTING = {"youtube": "commentThreads", "x": "mentions"}
REFRESHABLE = {
    "access_token": "old-access",
    "refresh_token": "first-refresh",
    "client_id": "council-app",
    "client_secret": "app-secret",
}


def _connector(kit, credentials: Mapping[str, str], kept: list[dict[str, str]]):
    config = replace(kit.config(credentials), on_refresh=lambda c: kept.append(dict(c)))
    return CONNECTORS[kit.platform](config, kit.http)


@pytest.mark.parametrize("platform", ["youtube", "x"])
def test_a_401_is_answered_by_one_refresh_and_the_request_goes_again(make_kit, platform):
    kit = make_kit(platform)
    post = kit.post()
    kit.comment(post, "hello")
    kit.emulator.set_faults(platform, "expired_token", count=1)
    kept: list[dict[str, str]] = []
    connector = _connector(kit, REFRESHABLE, kept)

    page = connector.fetch_comments(None)

    assert [c.text for c in page.comments] == ["hello"]
    refreshes = kit.emulator.store.token_refreshes
    assert [(r["platform"], r["client_id"]) for r in refreshes] == [(platform, "council-app")]
    assert len(kept) == 1
    assert kept[0]["access_token"].startswith(f"{platform}-access-")
    assert connector.access_token() == kept[0]["access_token"]
    assert kept[0]["client_secret"] == "app-secret"  # the rest of the credentials are kept
    if platform == "x":  # rotated, and sent by HTTP Basic as for a confidential client
        assert kept[0]["refresh_token"].startswith("x-refresh-")
        assert refreshes[0]["basic"] is True
    else:  # Google keeps the same refresh token; the client goes in the form
        assert kept[0]["refresh_token"] == "first-refresh"
        assert refreshes[0]["basic"] is False


def test_x_refuses_a_spent_refresh_token_and_the_error_says_to_reconnect(make_kit):
    kit = make_kit("x")
    kit.comment(kit.post(), "hello")
    kept: list[dict[str, str]] = []
    kit.emulator.set_faults("x", "expired_token", count=1)
    _connector(kit, REFRESHABLE, kept).fetch_comments(None)
    kit.emulator.set_faults("x", "expired_token", count=1)

    with pytest.raises(PermanentError) as raised:
        _connector(kit, REFRESHABLE, kept).fetch_comments(None)  # the old refresh token again

    assert "invalid_grant" in str(raised.value)
    assert "reconnect the channel" in str(raised.value)
    assert "first-refresh" not in str(raised.value) and "app-secret" not in str(raised.value)
    assert len(kept) == 1


@pytest.mark.parametrize("platform", ["youtube", "x"])
def test_a_second_401_after_refreshing_is_not_refreshed_again(make_kit, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "hello")
    # Both API calls answer 401 (the token endpoint itself is not affected).
    kit.emulator.set_faults(platform, "expired_token", count=2, path_contains=LISTING[platform])
    kept: list[dict[str, str]] = []

    with pytest.raises(PermanentError):
        _connector(kit, REFRESHABLE, kept).fetch_comments(None)

    assert len(kit.emulator.store.token_refreshes) == 1
    assert len(kept) == 1


@pytest.mark.parametrize("platform", ["youtube", "x"])
def test_without_a_refresh_token_an_expired_token_stays_a_permanent_error(make_kit, platform):
    kit = make_kit(platform)
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults(platform, "expired_token", count=1)

    with pytest.raises(PermanentError):
        _connector(kit, {"access_token": "old-access"}, []).fetch_comments(None)

    assert kit.emulator.store.token_refreshes == []


def test_a_public_x_client_sends_its_id_in_the_form(make_kit):
    kit = make_kit("x")
    kit.comment(kit.post(), "hello")
    kit.emulator.set_faults("x", "expired_token", count=1)
    public = {k: v for k, v in REFRESHABLE.items() if k != "client_secret"}

    _connector(kit, public, []).fetch_comments(None)

    assert kit.emulator.store.token_refreshes[0]["basic"] is False
