"""The item page's "Why it was flagged" table holds long unbroken words (a lookalike web address,
a rule's dotted key, a quoted handle): at desktop width they wrap inside the card as they do on
a phone, never spilling over the author's card beside it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import FlagFactory
from tests.moderation.console.factories_console import open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = "https://exampleshire-gov.uk.renew-garden.com/pay-your-garden-waste-subscription-now"
TEXT = f"All garden waste subscriptions must be renewed today: {LINK}"


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_the_flags_table_wraps_inside_its_card(officer_page: Any, width: int) -> None:
    item = open_item(TEXT, category="malicious_link", spans=[(TEXT.index("https"), len(TEXT))])
    FlagFactory(
        comment=item,
        category="impersonation",
        rule_key="impersonation.lookalike_account_of_the_council",
        rule_name="Impersonation",
        outcome="review",
        explanation='"exampleshire.council.official.notifications" presents itself as official',
    )
    page = officer_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/queue/{item.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.locator("table.flags-table")
    card = page.locator(".card", has=table)
    inner, outer = table.bounding_box(), card.bounding_box()
    assert inner is not None and outer is not None
    assert inner["x"] + inner["width"] <= outer["x"] + outer["width"], (inner, outer)
