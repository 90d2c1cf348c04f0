"""At 1024 px (a small laptop, or a 1280 px one zoomed to 125 %) the queue and the escalations
list fit the screen: a Mastodon channel's long address wraps in its column instead of pushing
the due time and state off to the right."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import AuthorFactory, ChannelFactory
from tests.moderation.console.factories_console import escalation_for, open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "exampleshirecc@social.exampleshire.gov.uk"


@pytest.mark.parametrize("path", ["/queue/", "/escalations/"])
def test_the_page_fits_1024_pixels(officer_page: Any, path: str) -> None:
    channel = ChannelFactory(platform="mastodon", name=ADDRESS, account_id=f"@{ADDRESS}")
    author = AuthorFactory(platform="mastodon", handle=f"residents.association@{ADDRESS[15:]}")
    item = open_item("Which day is the brown bin collected now?", channel=channel, author=author)
    escalation_for(item, "manager")
    page = officer_page
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(path)
    assert page.locator("table tbody tr").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
