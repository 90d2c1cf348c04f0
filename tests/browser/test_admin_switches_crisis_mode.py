"""An admin, in the browser: switches crisis mode on for every channel, sees the banner on every
page, switches it off again; the settings pages pass axe's serious and critical checks."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from moderation.models import Organisation
from tests.factories import PASSWORD, ChannelFactory
from tests.helpers import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def admin_page(page: Any, adam: Any) -> Any:
    """A page signed in as adam, an admin, with his authenticator code."""
    device = TOTPDevice.objects.create(user=adam, name="phone", confirmed=True)
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", adam.username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", code_for(device))
    page.click("button[type=submit]")
    page.wait_for_url("**/queue/")
    return page


def test_an_admin_switches_crisis_mode_on_and_sees_the_banner(admin_page, shoot) -> None:
    ChannelFactory(name="Exampleshire Fire and Rescue")
    page = admin_page
    page.click("nav[aria-label=Main] >> text=Settings")
    page.wait_for_url("**/settings/")
    assert page.locator(".crisis-banner").count() == 0

    page.click("button:has-text('Switch on for every channel')")

    banner = page.locator(".crisis-banner")
    assert banner.is_visible()
    assert "for every channel" in banner.inner_text()
    assert "Post the listening response" in page.locator(".messages").inner_text()
    shoot(page, "admin-crisis-mode-on")
    page.click("nav[aria-label=Main] >> text=Queue")
    assert page.locator(".crisis-banner").is_visible()
    shoot(page, "admin-crisis-mode-banner-on-queue")
    assert Organisation.current().crisis_mode
    assert AuditEvent.objects.filter(event_type="moderation.crisis_mode.switched_on").count() == 1

    page.goto("/settings/")
    page.click("button:has-text('Switch off for every channel')")
    assert page.locator(".crisis-banner").count() == 0
    assert not Organisation.current().crisis_mode


def test_crisis_mode_for_one_channel_names_it_in_the_banner(admin_page, shoot) -> None:
    ChannelFactory(name="Exampleshire Libraries")
    page = admin_page
    page.goto("/settings/")

    page.click("button:has-text('Switch on for Exampleshire Libraries')")

    assert "for Exampleshire Libraries" in page.locator(".crisis-banner").inner_text()
    shoot(page, "admin-crisis-mode-one-channel")


def test_the_settings_pages_pass_axe(admin_page, axe, shoot) -> None:
    channel = ChannelFactory(name="Exampleshire County Council")
    for path in (
        "/settings/",
        "/settings/channels/",
        f"/settings/channels/{channel.pk}/",
        "/settings/organisation/",
        "/settings/routes/",
        "/settings/data-protection/",
        "/rules/",
        "/accounts/users/",
    ):
        admin_page.goto(path)
        assert axe(admin_page) == [], path
    shoot(admin_page, "admin-users")
