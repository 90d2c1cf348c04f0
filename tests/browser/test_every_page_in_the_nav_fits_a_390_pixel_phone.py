"""Every page an officer, a manager or an admin reaches from the navigation (and the pages those
link to, such as each settings page, a channel, a rule set, an item) fits a 390 px phone with no
sideways scrolling, with hostile long names and a flagged item's "Why it was flagged" table."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.busy_console import busy_console
from tests.browser.conftest import no_horizontal_scroll, sign_in, wider_than_the_viewport
from tests.browser.crawl import reachable, shape

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(olivia: Any, oscar: Any) -> dict[str, Any]:
    return busy_console([olivia, oscar])


def wide_pages(page: Any, shoot: Any, role: str) -> list[tuple[str, list[str]]]:
    paths = reachable(page)
    assert len(paths) > 3, paths
    page.set_viewport_size(PHONE)
    wide = []
    for path in paths:
        page.goto(path)
        if not no_horizontal_scroll(page):
            wide.append((path, wider_than_the_viewport(page)))
            shoot(page, f"wide-{role}-{shape(path).strip('/').replace('/', '-') or 'home'}")
    return wide


@pytest.mark.parametrize("role", ["olivia", "maya", "adam"])
def test_every_page_fits(
    page: Any, world: dict[str, Any], shoot: Any, role: str, request: pytest.FixtureRequest
) -> None:
    sign_in(page, request.getfixturevalue(role))
    wide = wide_pages(page, shoot, role)
    assert wide == [], "\n".join(f"{p}: {w}" for p, w in wide)
