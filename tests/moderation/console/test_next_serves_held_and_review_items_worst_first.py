""" "n" hands out held comments (hidden already, waiting for a judgement) as well as those to
review, worst first and then earliest due, from the default tab; and the queue only calls itself
clear when neither kind is waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.models import Comment
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def claimed_by_next(client: Client, **posted: str) -> int | None:
    response = client.post("/queue/next/", posted)
    location = response["Location"]
    parts = location.split("?")[0].strip("/").split("/")
    return int(parts[-1]) if parts[-1].isdigit() else None


def test_next_from_the_default_tab_serves_a_held_comment_when_none_is_to_review(olivia) -> None:
    held = open_item("Hidden by a rule", status=Comment.Status.HELD)
    client = signed_in(Client(), olivia)
    assert claimed_by_next(client) == held.pk
    assert claimed_by_next(signed_in(Client(), olivia), tab="review") == held.pk


def test_next_takes_held_and_review_items_by_severity_then_due_time(olivia) -> None:
    mild = open_item("Mild", severity=2, due_in=dt.timedelta(minutes=5))
    held_late = open_item(
        "Held, due later", severity=4, status="held", due_in=dt.timedelta(hours=3)
    )
    review_soon = open_item("Review, due sooner", severity=4, due_in=dt.timedelta(hours=1))
    held_worst = open_item("Held, worst", severity=5, status="held")
    client = signed_in(Client(), olivia)
    order = []
    for _ in range(4):
        claimed = claimed_by_next(client, tab="review")
        order.append(claimed)
        client.post(f"/queue/{claimed}/ignore/")
    assert order == [held_worst.pk, review_soon.pk, held_late.pk, mild.pk]


def test_the_review_tab_does_not_call_the_queue_clear_while_held_items_wait(olivia) -> None:
    open_item("Hidden by a rule", status=Comment.Status.HELD)
    open_item("Also hidden", status=Comment.Status.HELD)
    html = signed_in(Client(), olivia).get("/queue/").content.decode()
    assert "The queue is clear" not in html
    assert "2 held items are waiting for a judgement" in html


def test_the_queue_is_clear_only_when_nothing_is_to_review_or_held(olivia) -> None:
    open_item("Escalated elsewhere", status=Comment.Status.ESCALATED)
    client = signed_in(Client(), olivia)
    assert "The queue is clear" in client.get("/queue/").content.decode()
    response = client.post("/queue/next/", {"tab": "review"})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("The queue is clear" in m for m in shown)


def test_next_says_held_items_wait_when_it_cannot_claim_from_a_narrower_tab(olivia) -> None:
    open_item("Hidden by a rule", status=Comment.Status.HELD)
    client = signed_in(Client(), olivia)
    response = client.post("/queue/next/", {"tab": "escalated"})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("1 held" in m for m in shown), shown
