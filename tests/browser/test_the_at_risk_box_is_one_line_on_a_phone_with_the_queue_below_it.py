"""The box of comments where someone may be at risk stays the first thing an officer sees, but on
a 390 px phone it is one line with a count, so the queue is on the first screen too; a tap opens
it. On a desktop it is open, each comment listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from moderation.at_risk import AT_RISK_PRIORITY
from moderation.models import Channel, Comment
from tests.moderation.console.factories_console import open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WORRY = (
    "Another letter today on top of the arrears. Honestly I can't see a way out any more and "
    "I've been thinking everyone would be better off without me. Number {n}."
)


@pytest.fixture
def six_at_risk() -> list[Comment]:
    """Six comments someone may be at risk in (the box lists five), and two ordinary ones."""
    at_risk = [open_item(WORRY.format(n=n), category="self_harm", severity=5) for n in range(6)]
    Comment.objects.filter(pk__in=[c.pk for c in at_risk]).update(priority=AT_RISK_PRIORITY)
    open_item("Which day is the brown bin collected now?")
    open_item("The A3052 closure signs are wrong again")
    # Watched round the clock, so the page has no "Outside monitoring hours" line: the test
    # must not depend on the time it runs at (after 17:00 that line pushed the box down).
    Channel.objects.update(
        hours_start=dt.time(0, 0),
        hours_end=dt.time(0, 0),
        hours_days="0123456",
        bank_holidays_monitored=True,
    )
    return at_risk


def bottom_of(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"] + box["height"])


def test_on_a_phone_the_box_is_a_line_with_the_count_and_the_queue_is_on_the_first_screen(
    officer_page: Any, six_at_risk: list[Comment], shoot: Any
) -> None:
    page = officer_page
    page.set_viewport_size(PHONE)
    page.goto("/queue/")
    summary = page.locator(".at-risk summary")
    assert summary.is_visible()
    assert "6 comments" in summary.inner_text()
    assert bottom_of(summary) < 400, "the at-risk line comes first"
    assert not page.locator(".at-risk li").first.is_visible()
    first_row = page.locator("a.row-link").first
    assert bottom_of(first_row) <= PHONE["height"], "the queue starts on the first screen"
    shoot(page, "phone-queue-at-risk-closed")

    summary.click()
    assert page.locator(".at-risk li").count() == 5
    assert page.locator(".at-risk li").first.is_visible()
    assert page.locator(".at-risk li a").first.get_attribute("href") == (
        f"/queue/{six_at_risk[0].pk}/"
    )


def test_on_a_desktop_the_box_lists_the_comments_without_a_click(
    officer_page: Any, six_at_risk: list[Comment]
) -> None:
    page = officer_page
    page.set_viewport_size(DESKTOP)
    page.goto("/queue/")
    assert "6 comments" in page.locator(".at-risk summary").inner_text()
    items = page.locator(".at-risk li")
    assert items.count() == 5
    for index in range(5):
        assert items.nth(index).is_visible()
