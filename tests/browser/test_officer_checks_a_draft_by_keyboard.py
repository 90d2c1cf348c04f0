"""An officer checks a draft without the mouse: from the nav's "Check a draft" page, Ctrl+Enter in
the draft sends it for checking (as it sends a reply or a note on an item), and the findings are
announced."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_ctrl_enter_checks_the_draft(officer_page: Any) -> None:
    page = officer_page
    page.goto("/check/")
    page.fill("textarea[name=text]", "Call Dave Smith on 07700 900123 about it")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".send-check[role=alert]")
    assert page.locator(".send-check li").count() >= 1
