"""Settings → Channels → Connect, through the real views against the emulator's OAuth pages: an
admin connects a Facebook Page (choosing it from the Pages they manage), reconnects a failing
channel, connects Mastodon and Bluesky, disconnects; a callback that this session did not start
stores nothing; only admins may connect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

from accounts.models import AuditEvent
from moderation.credentials import decrypt_credentials
from moderation.emulator import Emulator
from moderation.models import Channel, MastodonApp, PendingConnection
from tests.factories import ChannelFactory
from tests.helpers import signed_in

PAGE = "104857600000001"


@pytest.fixture
def emulator(settings: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    settings.PLATFORM_BASE_URL = running.url
    for platform, account in (
        ("facebook", PAGE),
        ("instagram", "17841400000000001"),
        ("linkedin", "urn:li:organization:2414183"),
        ("mastodon", "109000000000000001"),
    ):
        running.store.account(platform, account)
    yield running
    running.stop()


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, tuple[Any, ...]]]:
    """Jobs enqueued after commit are noted, not run."""
    noted: list[tuple[str, Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, calls: noted.extend((queue, job, tuple(a)) for a in calls),
    )
    return noted


def _through_the_platform(client: Client, start_path: str, **form: str) -> Any:
    """Press Connect, allow access on the emulator's consent page, come back to the console."""
    started = client.post(start_path, form)
    assert started.status_code == 200, started.content
    consent = started.context["url"]
    assert f'content="0; url={consent}"'.replace("&", "&amp;") in started.content.decode()
    allowed = requests.post(consent, data={"decision": "allow"}, allow_redirects=False, timeout=5)
    back = urlsplit(allowed.headers["Location"])
    assert back.path == "/settings/channels/connect/callback/"
    return client.get(back.path, parse_qs(back.query))


@pytest.mark.django_db(transaction=True)
def test_an_admin_connects_a_facebook_page_they_choose(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    signed_in(client, adam)
    page = client.get("/settings/channels/connect/")
    assert "Connect Facebook Page" in page.content.decode()

    back = _through_the_platform(client, "/settings/channels/connect/facebook/")

    assert back.status_code == 302
    choose = client.get(back["Location"])
    assert "Example Council" in choose.content.decode()
    done = client.post(back["Location"], {"account": [PAGE]})
    assert done.status_code == 302

    channel = Channel.objects.get(platform="facebook", account_id=PAGE)
    stored = decrypt_credentials(channel.credentials)
    assert stored["access_token"].startswith("facebook-page-")
    assert stored["app_secret"] == "emulator-secret"
    assert stored["access_token"] not in channel.credentials
    assert channel.connected_with == "facebook"
    assert channel.token_expires_at is None and channel.reconnect_by is None
    assert not PendingConnection.objects.exists()
    events = list(AuditEvent.objects.values_list("event_type", flat=True))
    assert "moderation.channel.authorized" in events
    assert "moderation.channel.connected" in events
    assert all(
        stored["access_token"] not in str(e.data) + str(e.after) for e in AuditEvent.objects.all()
    )
    jobs = [(queue, job, args) for queue, job, args in enqueued]
    assert ("ingest", "moderation.jobs.poll_channel", (channel.pk,)) in jobs
    assert ("default", "moderation.jobs.subscribe_channel_to_webhooks", (channel.pk,)) in jobs
    assert len(channel.webhook_verify_token) >= 16  # for Meta's app dashboard


@pytest.mark.django_db
def test_a_callback_this_session_did_not_start_stores_nothing(
    client: Client, adam, emulator: Emulator
) -> None:
    signed_in(client, adam)
    client.post("/settings/channels/connect/linkedin/")

    forged = client.get(
        "/settings/channels/connect/callback/", {"code": "stolen", "state": "not-ours"}
    )

    assert forged.status_code == 400
    assert "not started from this console session" in forged.content.decode()
    assert not PendingConnection.objects.exists()
    assert not AuditEvent.objects.filter(event_type="moderation.channel.authorized").exists()


@pytest.mark.django_db(transaction=True)
def test_a_state_works_once(client: Client, adam, emulator: Emulator) -> None:
    signed_in(client, adam)
    started = client.post("/settings/channels/connect/linkedin/")
    allowed = requests.post(
        started.context["url"], data={"decision": "allow"}, allow_redirects=False, timeout=5
    )
    back = urlsplit(allowed.headers["Location"])
    assert client.get(back.path, parse_qs(back.query)).status_code == 302

    again = client.get(back.path, parse_qs(back.query))

    assert again.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_reconnecting_a_failing_channel_replaces_its_token_and_reads_back_what_it_missed(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    channel = ChannelFactory(
        platform="linkedin",
        account_id="urn:li:organization:2414183",
        name="Council LinkedIn",
        status=Channel.Status.ERROR,
        last_error="LinkedIn: The token used in the request has expired",
        login={"access_token": "dead"},
    )
    signed_in(client, adam)

    back = _through_the_platform(
        client, "/settings/channels/connect/linkedin/", channel=str(channel.pk)
    )

    assert back.status_code == 302 and back["Location"].endswith(f"/{channel.pk}/health/")
    channel.refresh_from_db()
    assert channel.status == Channel.Status.OK
    assert decrypt_credentials(channel.credentials)["access_token"].startswith("linkedin-access-")
    assert channel.connected_with == "linkedin"
    # LinkedIn gives most apps no refresh token: a person must reconnect when it ends.
    assert channel.reconnect_by == channel.token_expires_at is not None
    event = AuditEvent.objects.get(event_type="moderation.channel.reconnected")
    assert event.before is not None
    assert event.before["login_keys"] == ["access_token"]
    assert ("ingest", "moderation.tokens.backfill_channel", (channel.pk,)) in enqueued
    health = client.get(back["Location"]).content.decode()
    assert "reconnected" in health and "Reconnect" in health


@pytest.mark.django_db(transaction=True)
def test_signing_in_as_another_account_does_not_reconnect_the_channel(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    channel = ChannelFactory(platform="linkedin", account_id="urn:li:organization:1", name="Other")
    signed_in(client, adam)

    back = _through_the_platform(
        client, "/settings/channels/connect/linkedin/", channel=str(channel.pk)
    )

    assert back.status_code == 302
    channel.refresh_from_db()
    assert channel.credentials == ""
    assert not AuditEvent.objects.filter(event_type="moderation.channel.reconnected").exists()


@pytest.mark.django_db(transaction=True)
def test_mastodon_registers_the_console_on_the_instance_once(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    signed_in(client, adam)

    back = _through_the_platform(
        client, "/settings/channels/connect/mastodon/", instance="social.example.gov.uk"
    )
    client.post(back["Location"], {"account": ["109000000000000001"]})
    client.post("/settings/channels/connect/mastodon/", {"instance": "social.example.gov.uk"})

    assert MastodonApp.objects.count() == 1
    assert MastodonApp.objects.get().instance == "https://social.example.gov.uk"
    channel = Channel.objects.get(platform="mastodon")
    assert channel.token_expires_at is None
    assert AuditEvent.objects.filter(event_type="moderation.mastodon_app.registered").count() == 1


@pytest.mark.django_db
def test_a_mastodon_instance_on_an_internal_address_is_refused(
    client: Client, adam, emulator: Emulator
) -> None:
    signed_in(client, adam)

    answer = client.post("/settings/channels/connect/mastodon/", {"instance": "127.0.0.1:8080"})

    assert answer.status_code == 302 and answer["Location"] == "/settings/channels/connect/"
    assert not MastodonApp.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_bluesky_connects_with_an_app_password(
    client: Client, adam, emulator: Emulator, enqueued
) -> None:
    signed_in(client, adam)

    answer = client.post(
        "/settings/channels/connect/bluesky/",
        {"identifier": "council.bsky.social", "app_password": "app-password"},
    )

    assert answer.status_code == 302
    channel = Channel.objects.get(platform="bluesky")
    assert channel.account_id == "did:plc:council"
    assert decrypt_credentials(channel.credentials) == {
        "identifier": "council.bsky.social",
        "password": "app-password",
    }
    refused = client.post(
        "/settings/channels/connect/bluesky/",
        {"identifier": "council.bsky.social", "app_password": "wrong"},
    )
    assert refused.status_code == 400


@pytest.mark.django_db
def test_disconnecting_forgets_the_credentials_and_stops_polling(client: Client, adam) -> None:
    channel = ChannelFactory(platform="x", login={"access_token": "t"}, connected_with="x")
    signed_in(client, adam)

    client.post(f"/settings/channels/{channel.pk}/disconnect/")

    channel.refresh_from_db()
    assert channel.credentials == "" and not channel.enabled
    event = AuditEvent.objects.get(event_type="moderation.channel.disconnected")
    assert event.before is not None
    assert event.before["login_keys"] == ["access_token"]


@pytest.mark.django_db
def test_only_admins_connect(client: Client, maya, olivia) -> None:
    channel = ChannelFactory(platform="x")
    signed_in(client, maya)
    assert client.get(f"/settings/channels/{channel.pk}/health/").status_code == 200
    assert client.get("/settings/channels/connect/").status_code == 403
    assert client.post("/settings/channels/connect/x/").status_code == 403
    assert client.post(f"/settings/channels/{channel.pk}/disconnect/").status_code == 403
    client.logout()
    signed_in(client, olivia)
    assert client.get(f"/settings/channels/{channel.pk}/health/").status_code == 403
