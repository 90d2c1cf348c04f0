""" "Select their open items" on an item page opens the author's open items from every open tab
(to review, held, escalated), already ticked for a bulk action; Apply with nothing ticked says
what to do instead of "This field is required"."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.models import Comment
from tests.factories import AuthorFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def select_link(html: str) -> str:
    found = re.search(r'<a href="([^"]+)"[^>]*>Select their open items</a>', html)
    assert found, "no 'Select their open items' link"
    return found.group(1).replace("&amp;", "&")


def test_the_link_selects_the_authors_held_review_and_escalated_items(olivia) -> None:
    author = AuthorFactory()
    review = open_item("Rude", author=author)
    held = open_item("Hidden by a rule", author=author, status=Comment.Status.HELD)
    escalated = open_item("FOI", author=author, status=Comment.Status.ESCALATED)
    done = open_item("Old", author=author, status=Comment.Status.DONE)
    someone_else = open_item("Not theirs")
    client = signed_in(Client(), olivia)
    url = select_link(client.get(f"/queue/{held.pk}/").content.decode())
    html = client.get(url).content.decode()
    ticked = set(map(int, re.findall(r'name="ids" value="(\d+)"[^>]*checked', html)))
    assert ticked == {review.pk, held.pk, escalated.pk}
    listed = set(map(int, re.findall(r'name="ids" value="(\d+)"', html)))
    assert done.pk not in listed and someone_else.pk not in listed
    assert "3 selected" in html


def test_the_selection_can_be_hidden_in_one_go(olivia) -> None:
    author = AuthorFactory()
    first = open_item("Rude", author=author)
    second = open_item("Ruder", author=author)
    client = signed_in(Client(), olivia)
    html = client.get(select_link(client.get(f"/queue/{first.pk}/").content.decode())).content
    ids = re.findall(r'name="ids" value="(\d+)"[^>]*checked', html.decode())
    client.post("/queue/bulk/", {"verb": "hide", "ids": ids})
    assert set(
        Comment.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {"done"}


def test_apply_with_nothing_ticked_says_to_tick_items_first(olivia) -> None:
    open_item()
    response = signed_in(Client(), olivia).post("/queue/bulk/", {"verb": "hide"})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [
        "Nothing done: no items were ticked. Tick the boxes beside the items first "
        "(or select a row with j and press a key to act on it alone)."
    ]
    assert Comment.objects.filter(status="done").count() == 0
