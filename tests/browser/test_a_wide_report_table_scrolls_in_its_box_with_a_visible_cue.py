"""A report table wider than its card (the daily table with a column for every category) scrolls
sideways inside its own box, never the page, at 1280 and at 390 px; a visible cue says there is
more to the side (a line above the table and a shadow at the edge with more), and the table's
title stays readable in the box. A table that fits has no cue."""

from __future__ import annotations

from typing import Any

import pytest

from rules.models import CATEGORY_CHOICES
from tests.browser.conftest import no_horizontal_scroll, wider_than_the_viewport
from tests.factories import CommentFactory, FlagFactory
from tests.moderation.reports.factories_reports import london

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUERY = "?start=2025-08-04&end=2025-08-10"
WRAPS = """() => [...document.querySelectorAll('.table-wrap')].map(w => {
  const caption = w.querySelector('caption .caption-text') || w.querySelector('caption');
  const hint = w.previousElementSibling;
  const shown = hint && hint.classList.contains('scroll-hint') && hint.offsetParent !== null;
  return {key: w.closest('section').id, overflows: w.scrollWidth > w.clientWidth + 1,
          hint: shown ? hint.textContent.trim() : '', cue: w.classList.contains('scrolls'),
          captionFits:
            caption.getBoundingClientRect().right <= w.getBoundingClientRect().right + 1};
})"""


@pytest.fixture
def every_category() -> None:
    for n, (category, _) in enumerate(CATEGORY_CHOICES):
        comment = CommentFactory(received_at=london(2025, 8, 5 + n % 5, 10))
        FlagFactory(comment=comment, category=category, rule_key=f"{category}.rule")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_daily_table_scrolls_in_its_box_with_a_cue(
    manager_page: Any, every_category: None, width: int, shoot: Any
) -> None:
    page = manager_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/reports/{QUERY}")
    assert no_horizontal_scroll(page), wider_than_the_viewport(page)
    wraps = page.evaluate(WRAPS)
    daily = next(w for w in wraps if w["key"] == "received")
    assert daily["overflows"]
    for wrap in wraps:
        assert bool(wrap["hint"]) == wrap["overflows"] == wrap["cue"], wrap
        assert wrap["captionFits"], wrap
    assert "scroll" in daily["hint"].lower()
    page.locator("#received .table-wrap").screenshot()
    shoot(page, f"report-wide-table-{width}")


def test_the_cue_goes_when_the_window_grows_wide_enough(manager_page: Any, every_category) -> None:
    page = manager_page
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/reports/{QUERY}")
    # The category table (long category names) is wider than a phone, not than a desktop.
    assert next(w for w in page.evaluate(WRAPS) if w["key"] == "categories")["hint"]
    page.set_viewport_size({"width": 1280, "height": 900})
    for _ in range(50):  # the page's CSP refuses wait_for_function's eval: poll instead
        categories = next(w for w in page.evaluate(WRAPS) if w["key"] == "categories")
        if not categories["cue"]:
            break
        page.wait_for_timeout(100)
    assert not categories["overflows"] and not categories["hint"] and not categories["cue"]
