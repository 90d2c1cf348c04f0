"""Settings → Channels → Connect Bluesky, with Bluesky's own sign-in (AT Protocol OAuth), through
the real views, the console served on a live port (the emulator's authorisation server fetches
its client metadata and JWKS from there, as Bluesky does) and the emulator's PDS: connect,
poll with the DPoP-bound session, renew it when it ends, reconnect; every step audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from joserfc.jwk import ECKey

from accounts.models import AuditEvent
from moderation.channel_connector import connector_for
from moderation.credentials import decrypt_credentials
from moderation.emulator import Emulator
from moderation.emulator.bluesky_oauth import client_metadata_fetches
from moderation.models import Channel
from tests.helpers import signed_in

DID = "did:plc:exampleshirecouncilbskyz"
HANDLE = "council.example.org"
START = "/settings/channels/connect/bluesky/sign-in/"


@pytest.fixture
def emulator(settings: Any, live_server: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    running.name_account("bluesky", DID, HANDLE, "Example Council")
    settings.PLATFORM_BASE_URL = running.url
    settings.PUBLIC_URL = live_server.url
    yield running
    running.stop()


@pytest.fixture
def confidential(settings: Any) -> ECKey:
    key = ECKey.generate_key("P-256", parameters={"kid": "console-2026"}, private=True)
    settings.BLUESKY_OAUTH_KEY = json.dumps(key.as_dict(private=True))
    return key


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    noted: list[Any] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, calls: noted.extend((queue, job, tuple(a)) for a in calls),
    )
    return noted


def _sign_in_on_bluesky(client: Client, **form: str) -> Any:
    started = client.post(START, form)
    assert started.status_code == 200, started.content
    url = started.context["url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert set(query) == {"client_id", "request_uri"}  # the rest went by PAR
    assert requests.get(url, timeout=5).status_code == 200
    allowed = requests.post(
        url.split("?")[0], data={**query, "decision": "allow"}, allow_redirects=False, timeout=5
    )
    back = urlsplit(allowed.headers["Location"])
    assert back.path == "/settings/channels/connect/bluesky/callback/"
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


@pytest.mark.django_db(transaction=True)
def test_an_admin_connects_bluesky_by_signing_in_and_the_channel_polls(
    client: Client, adam, emulator: Emulator, confidential: ECKey, enqueued, settings: Any
) -> None:
    emulator.add_comment("bluesky", DID, emulator.add_post("bluesky", DID), "Bins?")
    signed_in(client, adam)
    assert (
        "Continue to Bluesky" in client.get("/settings/channels/connect/bluesky/").content.decode()
    )

    back = _sign_in_on_bluesky(client, handle=HANDLE)

    assert back.status_code == 302
    channel = Channel.objects.get(platform="bluesky", account_id=DID)
    assert channel.connected_with == "bluesky_oauth"
    stored = decrypt_credentials(channel.credentials)
    assert stored["auth"] == "oauth" and "dpop_key" in stored and "password" not in stored
    assert client_metadata_fetches(emulator.store)[0].startswith(settings.PUBLIC_URL)
    assert AuditEvent.objects.filter(event_type="moderation.channel.connected").exists()
    assert channel.reconnect_by is None  # a confidential session lasts while it is renewed

    page = connector_for(channel).fetch_comments(None)
    assert [c.text for c in page.comments] == ["Bins?"]

    emulator.advance_clock(16 * 60)
    connector_for(Channel.objects.get(pk=channel.pk)).fetch_comments(None)
    renewed = decrypt_credentials(Channel.objects.get(pk=channel.pk).credentials)
    assert renewed["access_token"] != stored["access_token"]
    assert AuditEvent.objects.filter(event_type="moderation.channel.token_refreshed").exists()


@pytest.mark.django_db(transaction=True)
def test_the_console_publishes_its_client_metadata_and_only_its_public_key(
    client: Client, emulator: Emulator, confidential: ECKey, live_server: Any
) -> None:
    metadata = requests.get(f"{live_server.url}/oauth/bluesky/client-metadata.json", timeout=5)
    keys = requests.get(f"{live_server.url}/oauth/bluesky/jwks.json", timeout=5).json()

    assert metadata.status_code == 200
    assert metadata.headers["Content-Type"] == "application/json"
    document = metadata.json()
    assert document["client_id"] == f"{live_server.url}/oauth/bluesky/client-metadata.json"
    assert document["token_endpoint_auth_method"] == "private_key_jwt"
    assert document["dpop_bound_access_tokens"] is True
    assert document["scope"] == "atproto transition:generic"
    assert [k["kid"] for k in keys["keys"]] == ["console-2026"]
    assert all("d" not in k for k in keys["keys"])


@pytest.mark.django_db(transaction=True)
def test_a_public_client_session_must_be_reconnected_within_two_weeks(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    signed_in(client, adam)
    _sign_in_on_bluesky(client, handle=HANDLE)
    channel = Channel.objects.get(platform="bluesky", account_id=DID)
    assert channel.reconnect_by is not None
    assert 13 <= (channel.reconnect_by - channel.created_at).days <= 14


@pytest.mark.django_db(transaction=True)
def test_reconnecting_keeps_the_channel_and_is_audited(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    signed_in(client, adam)
    _sign_in_on_bluesky(client, handle=HANDLE)
    channel = Channel.objects.get(platform="bluesky", account_id=DID)

    back = _sign_in_on_bluesky(client, channel=str(channel.pk))  # no handle: the channel's DID

    assert back.status_code == 302
    assert Channel.objects.filter(platform="bluesky").count() == 1
    assert AuditEvent.objects.filter(event_type="moderation.channel.reconnected").exists()


@pytest.mark.django_db(transaction=True)
def test_a_callback_with_another_issuer_or_state_stores_nothing(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    signed_in(client, adam)
    started = client.post(START, {"handle": HANDLE})
    url = started.context["url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    allowed = requests.post(
        url.split("?")[0], data={**query, "decision": "allow"}, allow_redirects=False, timeout=5
    )
    back = {k: v[0] for k, v in parse_qs(urlsplit(allowed.headers["Location"]).query).items()}

    forged = client.get(
        "/settings/channels/connect/bluesky/callback/", {**back, "iss": "https://evil.example"}
    )
    replayed = client.get("/settings/channels/connect/bluesky/callback/", back)

    assert forged.status_code == 400
    assert replayed.status_code == 400  # the state was spent by the forged attempt
    assert not Channel.objects.filter(platform="bluesky").exists()


@pytest.mark.django_db
def test_without_a_public_address_bluesky_offers_only_the_app_password(
    client: Client, adam, settings: Any
) -> None:
    settings.PUBLIC_URL = ""
    signed_in(client, adam)
    page = client.get("/settings/channels/connect/bluesky/").content.decode()
    assert "Continue to Bluesky" not in page
    assert "Connect with the app password" in page
    assert client.get("/oauth/bluesky/client-metadata.json").status_code == 404
