"""SSRF with the credentials attached (issue 14, item 5).

An admin could set a channel's API address to any URL, and the next poll sent the channel's
bearer token there. Now: each platform's own hosts only (Mastodon and Bluesky: any public https
host, checked again when the call is made, so DNS rebinding does not help), the emulator only
when the deployment's PLATFORM_BASE_URL allows it, and changing the address clears the stored
credentials, audited.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.actions.channels import do_update_channel
from moderation.actions.configuration import ConfigurationRefused
from moderation.jobs import poll_channel
from moderation.models import Channel
from tests.factories import ChannelFactory
from tests.helpers import signed_in

TOKEN = "page-token-that-must-not-leak"


class _Collector(BaseHTTPRequestHandler):
    """A server that would collect tokens: it records every request it gets."""

    seen: list[str] = []
    connections = 0

    def setup(self) -> None:
        # Counted before any bytes are read: a TLS handshake that then fails still reached us.
        _Collector.connections += 1
        super().setup()

    def do_GET(self) -> None:
        _Collector.seen.append(self.headers.get("Authorization", "") + " " + self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "11")
        self.end_headers()
        self.wfile.write(b'{"data":[]}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    _Collector.seen = []
    _Collector.connections = 0
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _form(channel: Channel, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": channel.name,
        "nation": channel.nation,
        "hours_start": "09:00",
        "hours_end": "17:00",
        "hours_days": list("01234"),
        "response_target_minutes": 240,
        "poll_interval_seconds": 120,
        "backfill_days": 7,
        "base_url": "",
        "enabled": "on",
    }
    values.update(changes)
    return values


@pytest.mark.django_db
def test_the_settings_form_refuses_an_internal_address(client: Client, adam, collector) -> None:
    channel = ChannelFactory(platform="facebook", login={"access_token": TOKEN})
    signed_in(client, adam)

    response = client.post(
        f"/settings/channels/{channel.pk}/", _form(channel, base_url=collector + "/")
    )

    assert response.status_code == 400
    assert "only to its own API" in response.content.decode()
    channel.refresh_from_db()
    assert channel.base_url == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("platform", "address"),
    [
        ("facebook", "http://127.0.0.1:8799/"),
        ("facebook", "https://graph.facebook.com.evil.example/"),
        ("youtube", "https://169.254.169.254/latest/meta-data/"),
        ("x", "https://api.x.com@evil.example/"),
        ("mastodon", "https://10.0.0.7/"),
        ("mastodon", "http://mastodon.social/"),
        ("mastodon", "https://printer.local/"),
        ("bluesky", "https://[::1]/"),
    ],
)
def test_the_action_refuses_addresses_off_the_platforms_hosts(
    adam, platform: str, address: str
) -> None:
    channel = ChannelFactory(platform=platform, login={"access_token": TOKEN})

    with pytest.raises(ConfigurationRefused):
        do_update_channel(channel, {"base_url": address}, actor=adam)

    channel.refresh_from_db()
    assert channel.base_url == ""


@pytest.mark.django_db
def test_a_stored_internal_address_gets_no_request_and_no_token(collector: str) -> None:
    # A row written before the check existed (or by hand): the poll itself refuses it.
    channel = ChannelFactory(platform="facebook", base_url=collector, login={"access_token": TOKEN})

    assert poll_channel(channel.pk) == 0

    assert _Collector.seen == []
    assert _Collector.connections == 0
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ERROR
    assert "own API" in channel.last_error


@pytest.mark.django_db
def test_a_mastodon_name_that_resolves_to_loopback_when_called_is_refused(
    collector: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(collector.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> object:
        # The name looked public when it was saved; now it answers with loopback.
        if host == "rebind.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    channel = ChannelFactory(
        platform="mastodon",
        account_id="109000000000000001",
        base_url="https://rebind.example.org",
        login={"access_token": TOKEN},
    )

    assert poll_channel(channel.pk) == 0

    assert _Collector.connections == 0
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ERROR


@pytest.mark.django_db
def test_changing_the_address_clears_the_credentials_audited(adam, settings) -> None:
    settings.PLATFORM_BASE_URL = "http://127.0.0.1:8765"
    channel = ChannelFactory(platform="mastodon", login={"access_token": TOKEN})

    do_update_channel(channel, {"base_url": "https://mastodon.social"}, actor=adam)

    channel.refresh_from_db()
    assert channel.base_url == "https://mastodon.social"
    assert channel.credentials == ""
    event = AuditEvent.objects.get(event_type="moderation.channel.updated")
    assert event.after is not None and event.before is not None
    assert event.after["login_keys"] == []
    assert event.before["login_keys"] == ["access_token"]
    assert TOKEN not in str([event.before, event.after, event.data])


@pytest.mark.django_db
def test_the_emulator_is_allowed_only_when_the_deployment_names_it(adam, settings) -> None:
    channel = ChannelFactory(platform="facebook")

    settings.PLATFORM_BASE_URL = ""
    with pytest.raises(ConfigurationRefused):
        do_update_channel(channel, {"base_url": "http://127.0.0.1:8765/facebook"}, actor=adam)

    settings.PLATFORM_BASE_URL = "http://127.0.0.1:8765"
    assert do_update_channel(channel, {"base_url": "http://127.0.0.1:8765/facebook"}, actor=adam)
    assert do_update_channel(channel, {"base_url": "https://graph.facebook.com"}, actor=adam)
