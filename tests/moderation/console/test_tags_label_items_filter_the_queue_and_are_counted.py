"""Tags: labels an admin defines (and retires); officers put them on items and take them off;
the queue filters by them; the report counts comments per tag. Every change is audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.models import Tag
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def ids_listed(html: str) -> set[int]:
    return set(map(int, re.findall(r'name="ids" value="(\d+)"', html)))


@pytest.fixture
def roadworks(adam) -> Tag:
    signed_in(Client(), adam).post(
        "/settings/tags/new/",
        {"key": "roadworks", "name": "Roadworks", "description": "A3052 closure", "active": "on"},
    )
    return Tag.objects.get(key="roadworks")


def test_an_admin_defines_a_tag_on_the_record(roadworks, adam) -> None:
    assert roadworks.name == "Roadworks" and roadworks.active
    event = AuditEvent.objects.get(event_type="moderation.tag.created")
    assert event.after is not None
    assert event.actor == adam and event.after["name"] == "Roadworks"
    html = signed_in(Client(), adam).get("/settings/tags/").content.decode()
    assert "Roadworks" in html and "A3052 closure" in html


def test_officers_cannot_define_tags(olivia) -> None:
    client = signed_in(Client(), olivia)
    assert client.get("/settings/tags/").status_code == 403
    assert client.post("/settings/tags/new/", {"key": "x", "name": "X"}).status_code == 403
    assert not Tag.objects.exists()


def test_an_officer_tags_an_item_and_the_queue_filters_by_it(roadworks, olivia) -> None:
    tagged = open_item("The A3052 has been shut for weeks")
    untagged = open_item("Bins were missed")
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{tagged.pk}/tags/", {"tag": roadworks.pk, "op": "add"})
    assert list(tagged.tags.all()) == [roadworks]
    added = AuditEvent.objects.get(event_type="moderation.comment.tagged")
    assert added.actor == olivia and added.data["tag"] == "roadworks"
    html = client.get("/queue/?tag=roadworks").content.decode()
    assert ids_listed(html) == {tagged.pk}
    assert untagged.pk not in ids_listed(html)
    assert "Roadworks" in client.get(f"/queue/{tagged.pk}/").content.decode()


def test_an_officer_takes_a_tag_off(roadworks, olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/tags/", {"tag": roadworks.pk, "op": "add"})
    client.post(f"/queue/{item.pk}/tags/", {"tag": roadworks.pk, "op": "remove"})
    assert not item.tags.exists()
    assert AuditEvent.objects.filter(event_type="moderation.comment.untagged").count() == 1


def test_a_retired_tag_is_not_offered_and_cannot_be_added(roadworks, adam, olivia) -> None:
    signed_in(Client(), adam).post(
        f"/settings/tags/{roadworks.pk}/", {"name": "Roadworks", "description": ""}
    )
    roadworks.refresh_from_db()
    assert not roadworks.active
    assert AuditEvent.objects.filter(event_type="moderation.tag.updated").exists()
    item = open_item()
    client = signed_in(Client(), olivia)
    html = client.get(f"/queue/{item.pk}/").content.decode()
    picker = re.search(r'<select id="tag-add"[^>]*>(.*?)</select>', html, re.S)
    assert picker is None or f'value="{roadworks.pk}"' not in picker.group(1)
    client.post(f"/queue/{item.pk}/tags/", {"tag": roadworks.pk, "op": "add"})
    assert not item.tags.exists()


def test_the_report_counts_comments_by_tag(roadworks, olivia, maya) -> None:
    client = signed_in(Client(), olivia)
    for item in (open_item("one"), open_item("two")):
        client.post(f"/queue/{item.pk}/tags/", {"tag": roadworks.pk, "op": "add"})
    today = dt.date.today().isoformat()
    html = signed_in(Client(), maya).get(f"/reports/?start={today}&end={today}").content.decode()
    assert re.search(r"Comments by tag", html)
    assert '<th scope="row">Roadworks</th><td class="num">2</td>' in html
