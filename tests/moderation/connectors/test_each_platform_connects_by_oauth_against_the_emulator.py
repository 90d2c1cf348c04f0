"""Each way of connecting, end to end against the emulator's OAuth endpoints: the authorisation
URL (state, PKCE where the platform takes it, the platform's own parameters), the person
allowing access on the consent page, the code exchange (with Meta's long-lived exchange), and the
accounts the person may connect, with the credentials each channel keeps."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from moderation.connectors.accounts import Lookup, discover
from moderation.connectors.authorization import (
    Client,
    Place,
    authorization_request,
    exchange_code,
    refresh,
    register_mastodon_app,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient
from moderation.connectors.oauth_apps import OAUTH_APPS
from moderation.emulator import Emulator

REDIRECT = "https://console.example.gov.uk/settings/channels/connect/callback/"
CLIENT = Client("council-app", "council-secret")
ACCOUNTS = {
    "facebook": ("facebook", "104857600000001"),
    "instagram": ("instagram", "17841400000000001"),
    "instagram_login": ("instagram", "17841400000000001"),
    "threads": ("threads", "25000000000000001"),
    "youtube": ("youtube", "UCexamplecouncil000000001"),
    "x": ("x", "1001"),
    "linkedin": ("linkedin", "urn:li:organization:2414183"),
    "tiktok": ("tiktok", "bus-7300000000000000001"),
    "mastodon": ("mastodon", "109000000000000001"),
}


def _approve(url: str) -> dict[str, str]:
    """What the person's browser does: open the consent page, press Allow, follow the redirect."""
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and "Allow" in page.text
    answer = requests.post(url, data={"decision": "allow"}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _world(emulator: Emulator) -> None:
    emulator.reset()
    for platform, account in ACCOUNTS.values():
        emulator.store.account(platform, account)


@pytest.mark.parametrize("flow", sorted(ACCOUNTS))
def test_the_person_approves_and_the_console_gets_their_accounts(
    emulator: Emulator, flow: str
) -> None:
    _world(emulator)
    app = OAUTH_APPS[flow]
    place = Place(emulator=emulator.url, instance="https://mastodon.example")
    client = CLIENT
    if flow == "mastodon":
        client = register_mastodon_app(
            place.instance, REDIRECT, place, client_name="smpolicy", public_only=False
        )
    started = authorization_request(app, client, REDIRECT, place)
    query = parse_qs(urlsplit(started.url).query)
    assert query["state"] == [started.state]
    assert query["redirect_uri"] == [REDIRECT]
    assert ("code_challenge" in query) == app.pkce
    if flow == "youtube":
        assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    if flow == "x":
        assert "offline.access" in query["scope"][0].split()
        assert query["code_challenge_method"] == ["S256"]

    back = _approve(started.url)
    assert back["state"] == started.state
    grant = exchange_code(
        app, client, REDIRECT, back["code"], place, code_verifier=started.code_verifier
    )
    with HttpClient() as http:
        accounts = discover(Lookup(app, client, grant, place, http))

    platform, account_id = ACCOUNTS[flow]
    assert [(a.platform, a.account_id) for a in accounts] == [(platform, account_id)]
    account = accounts[0]
    assert account.credentials["access_token"]
    now = dt.datetime.now(dt.UTC)
    if flow in ("facebook", "instagram"):
        # A Page token read with the long-lived user token, which does not expire.
        assert account.credentials["access_token"].startswith("facebook-page-")
        assert account.credentials["app_secret"] == CLIENT.client_secret
        assert account.access_expires_at is None
    if flow in ("threads", "instagram_login", "linkedin"):
        assert account.access_expires_at is not None
        assert dt.timedelta(days=59) < account.access_expires_at - now <= dt.timedelta(days=60)
    if flow in ("youtube", "x", "tiktok"):
        assert account.credentials["refresh_token"]
        assert account.credentials["client_id"] == client.client_id
    if flow == "tiktok":
        assert account.access_expires_at is not None
        assert account.access_expires_at - now <= dt.timedelta(days=1)
        assert account.refresh_expires_at is not None


def test_a_code_is_refused_without_the_pkce_verifier(emulator: Emulator) -> None:
    _world(emulator)
    app, place = OAUTH_APPS["x"], Place(emulator=emulator.url)
    started = authorization_request(app, CLIENT, REDIRECT, place)
    back = _approve(started.url)

    with pytest.raises(PermanentError, match="PKCE"):
        exchange_code(app, CLIENT, REDIRECT, back["code"], place, code_verifier="not-it")


def test_a_code_works_once(emulator: Emulator) -> None:
    _world(emulator)
    app, place = OAUTH_APPS["linkedin"], Place(emulator=emulator.url)
    started = authorization_request(app, CLIENT, REDIRECT, place)
    back = _approve(started.url)
    exchange_code(app, CLIENT, REDIRECT, back["code"], place)

    with pytest.raises(PermanentError):
        exchange_code(app, CLIENT, REDIRECT, back["code"], place)


def test_cancelling_on_the_consent_page_sends_access_denied(emulator: Emulator) -> None:
    _world(emulator)
    started = authorization_request(
        OAUTH_APPS["youtube"], CLIENT, REDIRECT, Place(emulator=emulator.url)
    )
    answer = requests.post(started.url, data={"decision": "deny"}, allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [started.state]


@pytest.mark.parametrize("flow", ["threads", "instagram_login", "tiktok", "x", "youtube"])
def test_a_renewable_token_is_renewed_and_expires_on_the_platforms_schedule(
    emulator: Emulator, flow: str
) -> None:
    _world(emulator)
    app, place = OAUTH_APPS[flow], Place(emulator=emulator.url)
    started = authorization_request(app, CLIENT, REDIRECT, place)
    back = _approve(started.url)
    grant = exchange_code(
        app, CLIENT, REDIRECT, back["code"], place, code_verifier=started.code_verifier
    )
    credentials = {"access_token": grant.access_token, "refresh_token": grant.refresh_token}

    renewed = refresh(app, CLIENT, credentials, place)

    assert renewed.access_token and renewed.access_token != grant.access_token
    assert renewed.access_expires_at is not None
    if flow == "x":  # X's refresh tokens rotate: the old one is spent
        assert renewed.refresh_token and renewed.refresh_token != grant.refresh_token
        with pytest.raises(PermanentError):
            refresh(app, CLIENT, credentials, place)
