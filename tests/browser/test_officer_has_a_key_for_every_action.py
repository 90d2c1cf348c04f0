"""Every action has a key: ignore (i), block (b), unhide (v), claim and release (c), assign (g),
tag (t), search (/); e lands on the reply templates, and a templated reply takes three keys:
e, the template's number, Ctrl+Enter."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.models import Comment, ModerationAction, Organisation, Tag
from tests.moderation.console.factories_console import open_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id || ''"))


def test_a_templated_reply_takes_three_keys(officer_page: Any, olivia: Any, shoot: Any) -> None:
    Organisation.objects.update(own_contacts={"emails": ["complaints@exampleshire.gov.uk"]})
    item = open_item("I want to make a formal complaint about the bins", category="complaint")
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.dataset.shortcut") == "1"  # the first template
    shoot(page, "reply-templates-numbered")
    page.keyboard.press("1")
    page.wait_for_function("() => document.querySelector('#reply-text').value.length > 20")
    assert focused(page) == "reply-text"
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Reply queued")
    reply = ModerationAction.objects.get(comment=item, kind="reply")
    assert "complaints procedure" in reply.text
    assert AuditEvent.objects.filter(event_type="moderation.comment.replied", actor=olivia).exists()


def test_i_ignores_and_b_blocks(officer_page: Any, olivia: Any) -> None:
    first = open_item("Nothing wrong here really", platform="facebook")
    second = open_item("Troll again", platform="facebook")
    page = officer_page
    page.goto(f"/queue/{second.pk}/")
    page.keyboard.press("b")
    page.wait_for_selector("text=Block requested: sending to Facebook")
    assert ModerationAction.objects.filter(comment=second, kind="block").exists()
    page.goto(f"/queue/{first.pk}/")
    page.keyboard.press("i")
    page.wait_for_selector("text=Ignored: closed with no action.")
    first.refresh_from_db()
    assert first.status == Comment.Status.DONE


def test_v_unhides_a_hidden_comment(officer_page: Any) -> None:
    item = open_item("Hidden by mistake", status="held", platform="facebook", visibility="hidden")
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("v")
    page.wait_for_selector("text=Unhidden: sending to Facebook")
    assert ModerationAction.objects.filter(comment=item, kind="unhide").exists()


def test_c_claims_and_c_again_releases(officer_page: Any, olivia: Any) -> None:
    item = open_item()
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("c")
    page.wait_for_selector("text=You have claimed this item")
    item.refresh_from_db()
    assert item.claimed_by == olivia
    page.keyboard.press("c")
    page.wait_for_selector("text=Released.")
    item.refresh_from_db()
    assert item.claimed_by is None


def test_g_assigns_and_t_tags_from_the_keyboard(officer_page: Any, olivia: Any) -> None:
    Tag.objects.create(key="roadworks", name="Roadworks")
    item = open_item()
    page = officer_page
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("g")
    assert focused(page) == "assign-to"
    page.select_option("#assign-to", str(olivia.pk))
    page.keyboard.press("Enter")
    page.wait_for_selector("text=it is in their Mine tab")
    item.refresh_from_db()
    assert item.assigned_to == olivia
    page.keyboard.press("t")
    assert focused(page) == "tag-add"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tagged “Roadworks”")
    assert list(item.tags.values_list("key", flat=True)) == ["roadworks"]


def test_slash_searches_from_the_queue_and_from_an_item(officer_page: Any) -> None:
    item = open_item()
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("/")
    assert focused(page) == "id_q"
    page.keyboard.type("bins")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=bins"))
    page.goto(f"/queue/{item.pk}/")
    page.keyboard.press("/")
    page.wait_for_url(re.compile(r"/queue/.*#search"))
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_q'")


def test_in_the_list_s_ticks_the_row_and_i_ignores_it(officer_page: Any) -> None:
    item = open_item("Spam again", category="spam")
    page = officer_page
    page.goto("/queue/")
    page.keyboard.press("j")
    page.keyboard.press("s")
    assert page.is_checked(f"#select-{item.pk}")
    page.keyboard.press("i")
    page.wait_for_selector("text=Ignored the comment.")
    item.refresh_from_db()
    assert item.status == Comment.Status.DONE
