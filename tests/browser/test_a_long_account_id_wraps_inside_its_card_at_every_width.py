"""A Bluesky channel's account id is a long unbroken DID: on the channel's page it wraps inside
the Status card at desktop width as it does on a phone, never widening the page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import ChannelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DID = "did:plc:x7k2m4qpexbrdr5v3nlw6atqzzyy2k4m"


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_the_channel_page_keeps_the_account_id_inside_its_card(admin_page: Any, width: int) -> None:
    channel = ChannelFactory(platform="bluesky", account_id=DID, name="Exampleshire Border")
    page = admin_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/settings/channels/{channel.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    account_id = page.locator("dd", has_text=DID)
    card = page.locator(".card", has=account_id)
    inner, outer = account_id.bounding_box(), card.bounding_box()
    assert inner is not None and outer is not None
    assert inner["x"] + inner["width"] <= outer["x"] + outer["width"], (inner, outer)
