"""After connecting, reconnecting or disconnecting a channel the admin is told, in one message,
what happened and what happens next, through the real views against the emulator: which
channels were connected, that a reconnected channel reads back what it missed, that signing in
as another account reconnected nothing, and what disconnecting forgets and keeps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.emulator import Emulator
from moderation.models import Channel
from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.configuration.test_an_admin_connects_channels_in_the_browser import (
    _through_the_platform,
)

PAGE = "104857600000001"
LINKEDIN = "urn:li:organization:2414183"


@pytest.fixture
def emulator(settings: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    settings.PLATFORM_BASE_URL = running.url
    running.store.account("facebook", PAGE)
    running.store.account("linkedin", LINKEDIN)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def no_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("smpolicy.queue.enqueue_each_now", lambda queue, job, calls: None)


def _said(response: Any) -> list[str]:  # a test client response (with its request)
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db(transaction=True)
def test_connecting_names_the_channels_and_says_their_comments_are_being_read(
    client: Client, adam, emulator: Emulator
) -> None:
    signed_in(client, adam)
    back = _through_the_platform(client, "/settings/channels/connect/facebook/")

    done = client.post(back["Location"], {"account": [PAGE]})

    name = Channel.objects.get(platform="facebook", account_id=PAGE).shown_name
    assert done["Location"] == "/settings/channels/"
    assert _said(done) == [
        f"Connected: {name}. The first comments are being read now; set each channel's "
        "monitoring hours on its page."
    ]


@pytest.mark.django_db(transaction=True)
def test_reconnecting_says_what_was_missed_is_being_read(
    client: Client, adam, emulator: Emulator
) -> None:
    channel = ChannelFactory(platform="linkedin", account_id=LINKEDIN, name="Council LinkedIn")
    signed_in(client, adam)

    back = _through_the_platform(
        client, "/settings/channels/connect/linkedin/", channel=str(channel.pk)
    )

    assert back["Location"] == f"/settings/channels/{channel.pk}/health/"
    assert _said(back) == [
        "Council LinkedIn is reconnected. What it missed since its last successful check is "
        "being read now."
    ]


@pytest.mark.django_db(transaction=True)
def test_reconnecting_as_another_account_says_whose_it_is_and_changes_nothing(
    client: Client, adam, emulator: Emulator
) -> None:
    channel = ChannelFactory(platform="linkedin", account_id="urn:li:organization:1", name="Other")
    signed_in(client, adam)

    back = _through_the_platform(
        client, "/settings/channels/connect/linkedin/", channel=str(channel.pk)
    )

    [said] = _said(back)
    assert said.startswith("You signed in as an account that manages ")
    assert said.endswith(", not Other. Sign in as someone who manages it and reconnect again.")
    channel.refresh_from_db()
    assert channel.credentials == ""


@pytest.mark.django_db
def test_disconnecting_says_what_is_forgotten_and_kept_and_a_second_time_that_it_already_was(
    client: Client, adam
) -> None:
    channel = ChannelFactory(
        platform="x", name="Council on X", login={"access_token": "t"}, connected_with="x"
    )
    signed_in(client, adam)
    address = f"/settings/channels/{channel.pk}/disconnect/"

    first = client.post(address)
    shown = client.get(first["Location"]).content.decode()  # the message is shown once
    second = client.post(address)

    assert "Council on X is disconnected:" in shown
    assert first["Location"] == f"/settings/channels/{channel.pk}/health/"
    assert _said(first) == [
        "Council on X is disconnected: its credentials are forgotten and it is no longer "
        "checked. Its comments and history stay. To revoke the console's access on the "
        "platform too, remove the app in the platform's own settings."
    ]
    assert _said(second) == ["Council on X was already disconnected."]


@pytest.mark.django_db
def test_a_connection_to_an_internal_address_says_why_it_cannot_start(
    client: Client, adam, emulator: Emulator
) -> None:
    signed_in(client, adam)

    answer = client.post("/settings/channels/connect/mastodon/", {"instance": "10.1.2.3"})

    assert answer["Location"] == "/settings/channels/connect/"
    assert _said(answer) == [
        "The address must name the instance's public server, e.g. https://mastodon.social."
    ]
