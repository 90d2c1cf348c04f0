"""An admin, in the browser, against the platform emulator: sees the "Reconnect soon" banner for
a LinkedIn Page whose token ends in five days, connects a YouTube channel through the emulator's
consent page, opens the LinkedIn Page's health page and reconnects it, after which the banner is
gone. The connect, choose, health and Bluesky pages pass axe's serious and critical checks and
fit a 390-pixel screen without scrolling sideways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from moderation.emulator import Emulator
from moderation.models import Channel
from tests.factories import PASSWORD, ChannelFactory
from tests.helpers import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

YOUTUBE = "UCexamplecouncil000000001"
LINKEDIN = "urn:li:organization:2414183"


@pytest.fixture
def emulator(settings: Any) -> Iterator[Emulator]:
    running = Emulator.start(port=0)
    settings.PLATFORM_BASE_URL = running.url
    running.store.account("youtube", YOUTUBE)
    running.store.account("linkedin", LINKEDIN)
    yield running
    running.stop()


@pytest.fixture
def admin_page(page: Any, adam: Any) -> Any:
    device = TOTPDevice.objects.create(user=adam, name="phone", confirmed=True)
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", adam.username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", code_for(device))
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")
    return page


def _fits_a_phone(page: Any, shoot: Any, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1400, "height": 900})
    shoot(page, name)


def test_an_admin_connects_youtube_and_reconnects_a_linkedin_page_before_it_expires(
    emulator: Emulator, admin_page: Any, axe: Any, shoot: Any
) -> None:
    ends = timezone.now() + dt.timedelta(days=5)
    linkedin = ChannelFactory(
        platform="linkedin",
        account_id=LINKEDIN,
        name="Exampleshire LinkedIn",
        connected_with="linkedin",
        login={"access_token": "ends-soon"},
        token_expires_at=ends,
        reconnect_by=ends,
        last_error="LinkedIn: The token used in the request has been revoked by the user",
        last_success_at=timezone.now() - dt.timedelta(days=2),
        last_fetched={"comments": 12, "new": 3, "problems": 0},
    )
    page = admin_page
    page.goto("/queue/")

    banner = page.locator(".token-banner")
    assert banner.is_visible()
    assert "Exampleshire LinkedIn" in banner.inner_text() and "in 5 days" in banner.inner_text()
    shoot(page, "connect-warning-banner")

    page.goto("/settings/channels/")
    page.click("text=Connect a channel")
    page.wait_for_url("**/settings/channels/connect/")
    assert axe(page) == []
    assert page.locator(".token-banner").is_visible()  # on every page an admin opens
    _fits_a_phone(page, shoot, "connect-page")
    page.click("button:has-text('Connect YouTube')")
    page.wait_for_url(f"{emulator.url}/youtube/**")
    assert "Allow the console" in page.inner_text("h1")
    page.click("button:has-text('Allow')")
    page.wait_for_url("**/settings/channels/connect/choose/**")
    assert axe(page) == []
    _fits_a_phone(page, shoot, "connect-choose")
    page.click("button:has-text('Connect the chosen accounts')")
    page.wait_for_url("**/settings/channels/")
    assert "Connected: Example Council" in page.inner_text(".messages")
    youtube = Channel.objects.get(platform="youtube", account_id=YOUTUBE)
    assert youtube.connected_with == "youtube" and youtube.token_expires_at is not None

    page.click(f"a[href='/settings/channels/{linkedin.pk}/health/']")
    health = page.locator("main")
    assert "12 comments read, 3 new" in health.inner_text()
    assert "revoked by the user" in health.inner_text()
    assert "cannot be renewed without a person" in health.inner_text()
    assert axe(page) == []
    _fits_a_phone(page, shoot, "connect-health-before-reconnecting")

    page.click("button:has-text('Reconnect')")
    page.wait_for_url(f"{emulator.url}/linkedin/**")
    page.click("button:has-text('Allow')")
    page.wait_for_url(f"**/settings/channels/{linkedin.pk}/health/")
    assert "is reconnected" in page.inner_text(".messages")
    assert page.locator(".token-banner").count() == 0
    assert "revoked by the user" not in page.inner_text("main")  # the old token's error
    _fits_a_phone(page, shoot, "connect-health-after-reconnecting")
    linkedin.refresh_from_db()
    assert linkedin.reconnect_by is not None and linkedin.reconnect_by > ends
    assert AuditEvent.objects.filter(event_type="moderation.channel.reconnected").count() == 1

    page.goto("/settings/channels/connect/bluesky/")
    assert axe(page) == []
    _fits_a_phone(page, shoot, "connect-bluesky")
