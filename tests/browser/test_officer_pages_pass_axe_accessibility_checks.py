"""axe-core finds no serious or critical WCAG 2.2 AA problems on the queue, an item (with masked
personal data, a failed platform action and hostile text) and the escalations page."""

from __future__ import annotations

from typing import Any

import pytest

from moderation.models import Comment
from tests.moderation.console.factories_console import escalation_for, open_item, outbox_row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def busy_queue() -> Comment:
    item = open_item(
        "Call me on 07700 900123 you idiot \u202eevil",
        category="personal_data",
        spans=[(11, 23)],
        severity=4,
    )
    open_item("<script>alert(1)</script> spam spam", category="spam", severity=3)
    held = open_item("Held comment", status=Comment.Status.HELD)
    outbox_row(held, state="failed", last_error="(#10) Application does not have permission")
    escalation_for(open_item("FOI please", status=Comment.Status.ESCALATED), "foi")
    return item


@pytest.mark.parametrize(
    "path", ["/queue/", "/queue/?tab=held", "/escalations/", "/check/", "ITEM"]
)
def test_no_serious_accessibility_violations(
    officer_page: Any, busy_queue: Comment, axe: Any, shoot: Any, path: str
) -> None:
    page = officer_page
    page.goto(f"/queue/{busy_queue.pk}/" if path == "ITEM" else path)
    assert axe(page) == []
    shoot(
        page,
        "axe-"
        + ("item" if path == "ITEM" else path.strip("/").replace("/", "-").replace("?", "-")),
    )


def test_the_shortcuts_dialog_passes_too(officer_page: Any, busy_queue: Comment, axe: Any) -> None:
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("?")
    assert axe(page) == []
