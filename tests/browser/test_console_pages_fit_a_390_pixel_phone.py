"""The console works on a phone: at 390 px wide no page scrolls sideways, and the controls an
officer needs (claim next, open, remove, the block recommendation, confirm) are on screen and
can be pressed. Long unbroken names and text must wrap, not widen the page."""

from __future__ import annotations

from typing import Any

import pytest

from moderation.models import Author, ModerationAction, Organisation, Tag
from tests.browser.sign_in import sign_in
from tests.moderation.console.factories_console import escalation_for, open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2


@pytest.fixture
def busy() -> Any:
    Organisation.objects.update(strike_threshold=2)
    Tag.objects.create(key="roadworks", name="Roadworks A3052 closure")
    item = open_item(
        f"You are all useless {LONG} https://example.com/{'a' * 80}",
        platform="youtube",
        severity=4,
        spans=[(12, 19)],
    )
    Author.objects.filter(pk=item.author_id).update(
        strikes=3, display_name=f"Resident {LONG}", handle=LONG
    )
    open_item("Held one", status="held")
    escalation_for(open_item("FOI please", status="escalated"), "foi")
    return item


def fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 390 px"


def on_screen(page: Any, locator: Any) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None and locator.is_visible()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box


def test_the_queue_fits_and_its_controls_are_on_screen(
    officer_page: Any, busy: Any, shoot: Any
) -> None:
    page = officer_page
    page.set_viewport_size(PHONE)
    for path in ("/queue/", "/queue/?tab=held", "/queue/?tab=all", "/escalations/"):
        page.goto(path)
        fits(page)
    page.goto("/queue/")
    on_screen(page, page.get_by_role("button", name="Claim next item"))
    on_screen(page, page.locator("a.row-link").first)
    on_screen(page, page.get_by_role("button", name="Apply to selected"))
    shoot(page, "phone-queue")
    page.locator("a.row-link").first.click()
    page.wait_for_url(f"**/queue/{busy.pk}/**")


def test_the_item_page_fits_and_remove_and_the_block_advice_are_on_screen(
    officer_page: Any, busy: Any, shoot: Any
) -> None:
    page = officer_page
    page.set_viewport_size(PHONE)
    page.goto(f"/queue/{busy.pk}/")
    fits(page)
    on_screen(page, page.locator("button[data-shortcut=r]"))
    on_screen(page, page.get_by_text("Recommended: block this author."))
    on_screen(page, page.get_by_role("button", name="Block the author"))
    on_screen(page, page.get_by_role("button", name="Send reply"))
    shoot(page, "phone-item")
    page.locator("button[data-shortcut=r]").click()
    page.wait_for_selector("text=This cannot be undone on YouTube")
    fits(page)
    on_screen(page, page.get_by_role("button", name="Yes, remove permanently"))
    shoot(page, "phone-confirm")
    page.get_by_role("button", name="Yes, remove permanently").click()
    page.wait_for_selector("text=Removed: sending to YouTube")
    assert ModerationAction.objects.filter(comment=busy, kind="remove").exists()


def test_the_managers_and_admins_new_pages_fit(page: Any, maya: Any, adam: Any, busy: Any) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, adam)
    for path in ("/settings/tags/", "/settings/tags/new/", "/settings/reply-approval/"):
        page.goto(path)
        fits(page)
    page.context.clear_cookies()
    sign_in(page, maya)
    page.goto("/replies/awaiting/")
    fits(page)
