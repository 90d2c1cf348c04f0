"""The audit log's columns have fixed widths; at 1024 px the "Change" column kept what the others
left, 72 px, and a value such as "true" stood one letter a line. It keeps room for a
before-and-after table at every width (the table scrolls sideways inside its frame if it must)."""

from __future__ import annotations

from typing import Any

import pytest

from moderation.actions import do_escalate_comment
from moderation.models import EscalationRoute
from tests.moderation.console.factories_console import open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_change_column_is_wide_enough_for_a_diff(
    manager_page: Any, olivia: Any, width: int
) -> None:
    do_escalate_comment(open_item(), EscalationRoute.objects.get(key="manager"), actor=olivia)
    page = manager_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/audit/")
    change = page.locator(".audit-table > tbody > tr > td:last-child").first
    box = change.bounding_box()
    assert box is not None and box["width"] >= 240, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
