"""TikTok: errors come as HTTP 200 with a non-zero `code`; 40102 (token expired) is answered by
refreshing the 24-hour access token with the one-year refresh token, once.

The token endpoint (`tt_user/oauth2/refresh_token/`) and its answer are from the community
library sns-sdks/python-tiktok's recorded response, not from TikTok's own definitions.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from moderation.connectors.errors import PermanentError
from moderation.connectors.tiktok import TikTokConnector

REFRESHABLE = {
    "access_token": "act.old",
    "refresh_token": "rft.first",
    "client_id": "council-app",
    "client_secret": "app-secret",
}


@pytest.fixture
def kit(make_kit):
    return make_kit("tiktok")


def test_code_40102_refreshes_the_token_once_and_keeps_the_new_one(kit):
    kit.comment(kit.post(), "link pls")
    kit.emulator.expire_access_token("act.old")
    kept = []
    config = replace(kit.config(REFRESHABLE), on_refresh=lambda c: kept.append(dict(c)))

    page = TikTokConnector(config, kit.http).fetch_comments(None)

    assert [c.text for c in page.comments] == ["link pls"]
    assert len(kept) == 1
    assert kept[0]["access_token"].startswith("act.")
    assert kept[0]["access_token"] != "act.old"
    assert kept[0]["refresh_token"] != "rft.first"
    assert kept[0]["client_secret"] == "app-secret"
    assert kept[0]["access_token_expires_at"] and kept[0]["refresh_token_expires_at"]
    assert [r["platform"] for r in kit.emulator.store.token_refreshes] == ["tiktok"]


def test_an_expired_token_without_a_refresh_token_says_to_reconnect(kit):
    kit.comment(kit.post(), "link pls")
    kit.emulator.expire_access_token("token")

    with pytest.raises(PermanentError) as raised:
        kit.connector().fetch_comments(None)

    assert raised.value.code == "40102"
    assert raised.value.status == 200


def test_a_dead_refresh_token_is_a_permanent_error_naming_reconnection(kit):
    kit.comment(kit.post(), "link pls")
    kit.emulator.expire_access_token("act.old")
    kit.emulator.expire_access_token("rft.first")

    with pytest.raises(PermanentError) as raised:
        TikTokConnector(kit.config(REFRESHABLE), kit.http).fetch_comments(None)

    assert "reconnect" in str(raised.value).lower()
