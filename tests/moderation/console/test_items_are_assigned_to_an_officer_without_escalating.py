"""An item can be given to an officer without escalating it: it stays in its tab, appears in
that officer's "Mine" tab, "n" there serves their own items, and nobody else's "n" takes it.
Every assignment is audited."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.models import Comment
from tests.factories import make_user
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def ids_listed(html: str) -> set[int]:
    return set(map(int, re.findall(r'name="ids" value="(\d+)"', html)))


def test_assigning_keeps_the_item_in_its_tab_and_records_who_gave_it_to_whom(olivia, oscar) -> None:
    item = open_item("Needs Oscar's local knowledge")
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/assign/", {"assignee": oscar.pk})
    item.refresh_from_db()
    assert item.assigned_to == oscar
    assert item.status == Comment.Status.REVIEW and not item.escalations.exists()
    event = AuditEvent.objects.get(event_type="moderation.comment.assigned")
    assert event.after is not None
    assert event.actor == olivia and event.after["assigned_to"] == oscar.label
    assert "Assigned to Oscar Pryce" in client.get(f"/queue/{item.pk}/").content.decode()


def test_the_mine_tab_lists_only_my_open_assigned_items(olivia, oscar) -> None:
    mine = open_item("For Oscar", assigned_to=oscar)
    held_mine = open_item("Held, for Oscar", status="held", assigned_to=oscar)
    open_item("Done, for Oscar", status="done", assigned_to=oscar)
    open_item("For Olivia", assigned_to=olivia)
    open_item("Nobody's")
    html = signed_in(Client(), oscar).get("/queue/?tab=mine").content.decode()
    assert ids_listed(html) == {mine.pk, held_mine.pk}
    assert re.search(r"Mine <span class=\"count\">2</span>", html)


def test_next_on_the_mine_tab_serves_my_items_and_elsewhere_skips_other_peoples(
    olivia, oscar
) -> None:
    oscars = open_item("Worst, but Oscar's", severity=5, assigned_to=oscar)
    free = open_item("Free", severity=2)
    olivia_client = signed_in(Client(), olivia)
    response = olivia_client.post("/queue/next/", {"tab": "review"})
    assert response["Location"].startswith(f"/queue/{free.pk}/")
    oscar_client = signed_in(Client(), oscar)
    response = oscar_client.post("/queue/next/", {"tab": "mine"})
    assert response["Location"].startswith(f"/queue/{oscars.pk}/")


def test_unassigning_gives_the_item_back_to_everyone(olivia, oscar) -> None:
    item = open_item(assigned_to=oscar)
    signed_in(Client(), olivia).post(f"/queue/{item.pk}/assign/", {"assignee": ""})
    item.refresh_from_db()
    assert item.assigned_to is None
    event = AuditEvent.objects.get(event_type="moderation.comment.unassigned")
    assert event.before is not None
    assert event.before["assigned_to"] == oscar.label


def test_an_item_cannot_be_assigned_to_someone_who_cannot_work_the_queue(olivia) -> None:
    gone = make_user("gone", "officer", "Gone Away")
    gone.is_active = False
    gone.save()
    item = open_item()
    signed_in(Client(), olivia).post(f"/queue/{item.pk}/assign/", {"assignee": gone.pk})
    item.refresh_from_db()
    assert item.assigned_to is None
    assert not AuditEvent.objects.filter(event_type="moderation.comment.assigned").exists()
