"""A removal cannot be undone on any platform: r asks first, saying so in the platform's words;
y or Enter confirms, Escape goes back with nothing done, and no undo is promised afterwards."""

from __future__ import annotations

import re
from typing import Any

import pytest

from moderation.models import Comment, ModerationAction
from tests.moderation.console.factories_console import open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_r_on_a_youtube_item_asks_and_y_removes_it_for_good(officer_page: Any, shoot: Any) -> None:
    item = open_item("Get lost, you clowns", platform="youtube", severity=4)
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("r")
    page.wait_for_selector("text=This cannot be undone on YouTube")
    assert page.get_by_text("rejects it instead, which is permanent").is_visible()
    shoot(page, "confirm-removal-youtube")
    assert not ModerationAction.objects.filter(comment=item).exists()
    page.keyboard.press("y")
    page.wait_for_selector("text=Removed: sending to YouTube. This cannot be undone.")
    assert page.locator('[data-shortcut="u"]').count() == 0
    assert ModerationAction.objects.get(comment=item).kind == "remove"


def test_in_the_list_escape_goes_back_and_enter_confirms(officer_page: Any) -> None:
    item = open_item("Buy followers at spam.example", category="spam", platform="facebook")
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector("text=This cannot be undone on Facebook")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/queue/$"))
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector("text=This cannot be undone on Facebook")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Removed the comment. This cannot be undone.")
    item.refresh_from_db()
    assert item.status == Comment.Status.DONE
