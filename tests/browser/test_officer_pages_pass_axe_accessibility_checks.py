"""axe-core finds no serious or critical WCAG 2.2 AA problems on the queue, an item (with masked
personal data, a failed platform action and hostile text) and the escalations page; on the Mine
tab, an author's open items ticked, a tagged and assigned item, the confirmation page; on the
queue, an item and escalations at 390 px; and on the managers' approval list and the admins'
tag and reply-approval settings."""

from __future__ import annotations

from typing import Any

import pytest

from moderation.models import Comment, CommentTag, Tag
from tests.browser.sign_in import sign_in
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


@pytest.fixture
def organised(busy_queue: Comment, olivia: Any) -> Comment:
    """The busy queue, with a tag on the item and the item assigned to olivia."""
    tag = Tag.objects.create(key="roadworks", name="Roadworks")
    CommentTag.objects.create(comment=busy_queue, tag=tag, added_by_label="test")
    Comment.objects.filter(pk=busy_queue.pk).update(assigned_to=olivia)
    return busy_queue


@pytest.mark.parametrize("path", ["/queue/?tab=mine", "/queue/?tab=open&select=all", "ITEM"])
def test_the_mine_tab_the_open_selection_and_a_tagged_item_pass(
    officer_page: Any, organised: Comment, axe: Any, path: str
) -> None:
    page = officer_page
    page.goto(f"/queue/{organised.pk}/" if path == "ITEM" else path)
    assert axe(page) == []


def test_the_confirmation_page_passes(officer_page: Any, busy_queue: Comment, axe: Any) -> None:
    page = officer_page
    page.goto(f"/queue/{busy_queue.pk}/")
    page.keyboard.press("r")
    page.wait_for_selector("text=This cannot be undone on Facebook")
    assert axe(page) == []


@pytest.mark.parametrize("path", ["/queue/", "ITEM", "/escalations/"])
def test_the_pages_pass_at_390_px_too(
    officer_page: Any, organised: Comment, axe: Any, path: str
) -> None:
    page = officer_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/queue/{organised.pk}/" if path == "ITEM" else path)
    assert axe(page) == []


def test_the_managers_approval_list_and_the_admins_new_settings_pass(
    page: Any, maya: Any, adam: Any, busy_queue: Comment, axe: Any
) -> None:
    outbox_row(busy_queue, kind="reply", state="awaiting", text="Thanks, we will look into it.")
    Tag.objects.create(key="roadworks", name="Roadworks")
    sign_in(page, maya)
    page.goto("/replies/awaiting/")
    assert page.get_by_text("Thanks, we will look into it.").is_visible()
    assert axe(page) == []
    page.context.clear_cookies()
    sign_in(page, adam)
    for path in ("/settings/tags/", "/settings/tags/new/", "/settings/reply-approval/"):
        page.goto(path)
        assert axe(page) == [], path
