"""axe-core finds no serious or critical WCAG 2.2 AA problem on any page a manager or an admin
reaches from the navigation (reports, the audit log, rule sets, every settings page, users …),
at desktop width and at 390 px, with hostile names and a busy fortnight on them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.busy_console import busy_console
from tests.browser.conftest import sign_in
from tests.browser.crawl import reachable

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def world(olivia: Any, oscar: Any) -> dict[str, Any]:
    return busy_console([olivia, oscar])


@pytest.mark.parametrize("role", ["maya", "adam"])
def test_every_page_passes(
    page: Any, world: dict[str, Any], axe: Any, role: str, request: pytest.FixtureRequest
) -> None:
    sign_in(page, request.getfixturevalue(role))
    paths = reachable(page)
    assert "/reports/" in paths and "/audit/" in paths
    found = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            page.goto(path)
            found += [(path, width, v) for v in axe(page)]
    assert found == [], "\n".join(map(str, found))
