"""A poll whose YouTube token has expired refreshes it and stores the new one, audited.

The whole path: ``poll_channel`` → the connector gets 401 from the emulator, refreshes the token
at the emulated Google token endpoint → ``connector_for``'s callback saves the credentials,
encrypted, with an audit event that names the keys and never the values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from accounts.audit import verify_chain
from accounts.models import AuditEvent
from moderation.credentials import decrypt_credentials
from moderation.emulator import Emulator
from moderation.jobs import poll_channel
from moderation.models import Channel, Comment
from tests.factories import channel_on

ACCOUNT = "UCcouncil0000000000000001"


@pytest.fixture
def emulator(settings: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    # Channels may call the emulator only because the deployment names it (connectors/hosts.py).
    settings.PLATFORM_BASE_URL = running.url
    yield running
    running.stop()


@pytest.mark.django_db
def test_the_refreshed_token_replaces_the_stored_one_and_the_poll_succeeds(
    emulator: Emulator,
) -> None:
    video = emulator.add_post("youtube", ACCOUNT, text="Budget consultation")
    emulator.add_comment("youtube", ACCOUNT, video, "When does it close?")
    channel = channel_on(
        emulator,
        "youtube",
        ACCOUNT,
        name="Council YouTube",
        login={
            "access_token": "expired-access",
            "refresh_token": "google-refresh",
            "client_id": "council-app",
            "client_secret": "very-secret",
        },
    )
    emulator.set_faults("youtube", "expired_token", count=1, path_contains="commentThreads")

    assert poll_channel(channel.pk) == 1

    channel.refresh_from_db()
    assert channel.status == Channel.Status.OK
    stored = decrypt_credentials(channel.credentials)
    assert stored["access_token"].startswith("youtube-access-")
    assert stored["refresh_token"] == "google-refresh"
    assert "youtube-access-" not in channel.credentials  # encrypted at rest
    assert Comment.objects.filter(channel=channel).count() == 1
    event = AuditEvent.objects.get(event_type="moderation.channel.token_refreshed")
    assert event.channel_id == channel.pk
    assert event.after == {
        "login_keys": ["access_token", "client_id", "client_secret", "refresh_token"]
    }
    written = str([event.before, event.after, event.data, event.target_repr])
    for secret in (stored["access_token"], "google-refresh", "very-secret"):
        assert secret not in written
    assert verify_chain().ok
