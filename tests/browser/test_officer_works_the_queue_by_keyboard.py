"""An officer works the queue by keyboard alone: moves through the list, claims the next item,
hides it, undoes, and finds each step in the audit log."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.models import Comment, ModerationAction
from tests.moderation.console.factories_console import open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_j_and_k_move_through_the_list_and_enter_opens_an_item(
    officer_page: Any, shoot: Any
) -> None:
    worst = open_item("You absolute idiot", spans=[(13, 18)], severity=5)
    second = open_item("Spam spam spam", category="spam", severity=3)
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    selected = page.locator("tr.row-selected")
    assert selected.get_attribute("data-id") == str(worst.pk)
    page.keyboard.press("j")
    assert page.locator("tr.row-selected").get_attribute("data-id") == str(second.pk)
    shoot(page, "queue-with-a-row-selected")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/queue/{second.pk}/"))


def test_n_claims_the_worst_item_h_hides_it_and_u_undoes_it(
    officer_page: Any, olivia: Any, shoot: Any
) -> None:
    worst = open_item("You absolute idiot", spans=[(13, 18)], severity=5)
    open_item("Which day are bins collected?", severity=1)
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("n")
    page.wait_for_url(re.compile(rf"/queue/{worst.pk}/"))
    assert page.get_by_text("You have claimed this item").is_visible()
    shoot(page, "item-claimed")
    page.keyboard.press("h")
    page.wait_for_selector("text=Hidden: sending to Facebook. Press u to undo.")
    shoot(page, "item-hidden")
    worst.refresh_from_db()
    assert worst.status == Comment.Status.DONE and worst.handled_by == olivia
    assert ModerationAction.objects.get(comment=worst, kind="hide").state == "pending"
    hidden = AuditEvent.objects.get(event_type="moderation.comment.hidden", target_id=str(worst.pk))
    assert hidden.actor == olivia
    page.keyboard.press("u")
    page.wait_for_selector("text=Undone: the hide had not been sent yet")
    worst.refresh_from_db()
    assert worst.status == Comment.Status.REVIEW
    assert AuditEvent.objects.filter(
        event_type="moderation.comment.action_undone", target_id=str(worst.pk), actor=olivia
    ).exists()


def test_h_on_a_selected_row_hides_it_without_opening_it(officer_page: Any, olivia: Any) -> None:
    item = open_item("Buy cheap followers at spam.example", category="spam", severity=4)
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("j")
    page.keyboard.press("h")
    page.wait_for_selector("text=Hid the comment.")
    assert AuditEvent.objects.filter(
        event_type="moderation.comment.hidden", target_id=str(item.pk), actor=olivia
    ).exists()


def test_shortcuts_do_not_fire_while_typing_in_a_box(officer_page: Any) -> None:
    item = open_item("Hello")
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.locator("#note-text").click()
    page.keyboard.type("hra u")
    assert page.locator("#note-text").input_value() == "hra u"
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_question_mark_opens_the_shortcuts_dialog_and_escape_closes_it(
    officer_page: Any, shoot: Any
) -> None:
    open_item()
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert dialog.is_visible()
    shoot(page, "shortcuts-dialog")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
