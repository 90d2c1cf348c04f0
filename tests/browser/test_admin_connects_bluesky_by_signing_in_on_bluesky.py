"""An admin, in the browser, connects the council's Bluesky account by signing in on Bluesky
(the emulator's authorisation server, which fetches the console's client metadata from the live
console), lands on the channel's health page, and can reconnect it the same way. The pages pass
axe's serious and critical checks and fit a 390-pixel screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.emulator import Emulator
from moderation.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DID = "did:plc:exampleshirecouncilbskyz"
HANDLE = "council.example.org"


@pytest.fixture
def emulator(settings: Any, live_server: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    running.name_account("bluesky", DID, HANDLE, "Example Council")
    settings.PLATFORM_BASE_URL = running.url
    settings.PUBLIC_URL = live_server.url
    yield running
    running.stop()


def _at_both_widths(page: Any, shoot: Any, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, name)


def test_an_admin_connects_and_reconnects_bluesky_by_signing_in(
    emulator: Emulator, admin_page: Any, axe: Any, shoot: Any
) -> None:
    page = admin_page
    page.goto("/settings/channels/connect/")
    page.click("a:has-text('Connect Bluesky')")
    page.wait_for_url("**/settings/channels/connect/bluesky/")
    assert axe(page) == []
    _at_both_widths(page, shoot, "bluesky-oauth-connect")

    page.fill("#bluesky-handle", HANDLE)
    page.click("button:has-text('Continue to Bluesky')")
    page.wait_for_url(f"{emulator.url}/bluesky/oauth/authorize**")
    assert HANDLE in page.inner_text("h1")
    shoot(page, "bluesky-oauth-authorize")
    page.click("button:has-text('Allow')")
    page.wait_for_url("**/settings/channels/*/health/")
    assert "is connected" in page.inner_text(".messages")
    assert "Bluesky sign-in (OAuth)" in page.inner_text("main")
    assert "renewed by the console" in page.inner_text("main")
    assert axe(page) == []
    _at_both_widths(page, shoot, "bluesky-oauth-health")
    channel = Channel.objects.get(platform="bluesky", account_id=DID)
    assert channel.connected_with == "bluesky_oauth"

    page.click("a.button:has-text('Reconnect')")
    page.click("button:has-text('Reconnect on Bluesky')")  # no handle: the channel's own DID
    page.wait_for_url(f"{emulator.url}/bluesky/oauth/authorize**")
    page.click("button:has-text('Allow')")
    page.wait_for_url(f"**/settings/channels/{channel.pk}/health/")
    assert "is reconnected" in page.inner_text(".messages")
    assert AuditEvent.objects.filter(event_type="moderation.channel.reconnected").count() == 1
