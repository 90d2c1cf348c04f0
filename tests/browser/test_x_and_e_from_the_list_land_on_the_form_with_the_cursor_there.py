"""From the queue's list, x opens the selected item at its escalation form and e at its reply
form, with the cursor there (the route, the first template), so the next key carries on. The
cursor was put there as the page loaded, then taken away when the browser scrolled to #escalate.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.moderation.console.factories_console import open_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("key", "anchor"), [("x", "escalate"), ("e", "reply")])
def test_the_key_opens_the_item_with_the_cursor_in_its_form(
    officer_page: Any, key: str, anchor: str
) -> None:
    item = open_item("You absolute idiot", spans=[(13, 18)], severity=5)
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("j")
    page.keyboard.press(key)
    page.wait_for_url(re.compile(rf"/queue/{item.pk}/.*#{anchor}$"))
    page.wait_for_load_state("load")
    # The browser scrolls to the anchor while it renders frames after loading: two frames on,
    # the cursor must still be in the form.
    focused = page.evaluate(
        """(anchor) => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
             () => done(document.activeElement.closest('#' + anchor) !== null))))""",
        anchor,
    )
    assert focused
