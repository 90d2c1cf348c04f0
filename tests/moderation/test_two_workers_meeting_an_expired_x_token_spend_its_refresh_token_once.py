"""Two workers meeting one channel's expired X token refresh it once, and both go on working.

X rotates refresh tokens and refuses a spent one, so a second refresh with the same token would
break the channel until someone reconnected it. ``connector_for`` holds a per-channel lock while
refreshing; a connector that finds the stored token already replaced uses it instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from moderation.channel_connector import connector_for
from moderation.connectors.base import Connector
from moderation.connectors.x import XConnector
from moderation.credentials import decrypt_credentials
from moderation.emulator import Emulator
from moderation.models import Channel
from tests.factories import channel_on

ACCOUNT = "1400000000000000001"
OLD = {
    "access_token": "old-access",
    "refresh_token": "first-refresh",
    "client_id": "council-app",
    "client_secret": "app-secret",
}


@pytest.fixture
def emulator(settings: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    # Channels may call the emulator only because the deployment names it (connectors/hosts.py).
    settings.PLATFORM_BASE_URL = running.url
    yield running
    running.stop()


def _x_channel(emulator: Emulator) -> Channel:
    post = emulator.add_post("x", ACCOUNT, text="Bin collections over the holidays")
    emulator.add_comment("x", ACCOUNT, post, "Is Boxing Day a collection day?")
    return channel_on(emulator, "x", ACCOUNT, name="Council on X", login=OLD)


@pytest.mark.django_db
def test_the_second_worker_uses_the_token_the_first_one_got(emulator: Emulator) -> None:
    channel = _x_channel(emulator)
    first, second = connector_for(channel), connector_for(channel)  # both hold the old token
    emulator.expire_access_token("old-access")

    assert len(first.fetch_comments(None).comments) == 1  # 401, refresh, again
    assert len(second.fetch_comments(None).comments) == 1  # 401, finds it refreshed, again

    assert len(emulator.store.token_refreshes) == 1
    assert emulator.store.spent_refresh_tokens == {"first-refresh"}
    stored = decrypt_credentials(Channel.objects.get(pk=channel.pk).credentials)
    assert stored["refresh_token"].startswith("x-refresh-")
    assert isinstance(first, XConnector) and isinstance(second, XConnector)
    assert second.credentials == stored == first.credentials


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_refresh_once(emulator: Emulator) -> None:
    channel = _x_channel(emulator)
    connectors = [connector_for(channel), connector_for(channel)]
    emulator.expire_access_token("old-access")
    results: list[object] = []
    start = threading.Barrier(2)

    def poll(connector: Connector) -> None:
        start.wait()
        try:
            results.append(len(connector.fetch_comments(None).comments))
        except Exception as error:  # shown by the assertion below
            results.append(error)
        finally:
            from django.db import connection

            connection.close()  # each thread's own

    threads = [threading.Thread(target=poll, args=(c,)) for c in connectors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results == [1, 1]
    assert len(emulator.store.token_refreshes) == 1
    assert emulator.store.spent_refresh_tokens == {"first-refresh"}
