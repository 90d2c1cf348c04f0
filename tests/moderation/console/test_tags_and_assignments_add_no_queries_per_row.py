"""Tags and assignments are read with the page, not per row: the queue runs as many queries
for 50 tagged and assigned items as for 5, and an item as many for eight tags as for one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.at_risk import AT_RISK_CATEGORY
from moderation.models import Comment, CommentTag, Tag
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def organised_items(count: int, tags: list[Tag], assignee) -> list[Comment]:
    items = []
    for n in range(count):
        item = open_item(f"comment {n}", assigned_to=assignee)
        for tag in tags:
            CommentTag.objects.create(comment=item, tag=tag, added_by_label="test")
        items.append(item)
    return items


def test_the_queue_runs_the_same_queries_for_50_tagged_items_as_for_5(olivia, oscar) -> None:
    tags = [Tag.objects.create(key=f"t{n}", name=f"Tag {n}") for n in range(3)]
    client = signed_in(Client(), olivia)
    organised_items(5, tags, oscar)
    few = query_count(client, "/queue/")
    mine_few = query_count(client, "/queue/?tab=mine")
    organised_items(50, tags, oscar)
    assert query_count(client, "/queue/") == few
    assert query_count(client, "/queue/?tag=t1") <= few + 1
    assert query_count(client, "/queue/?tab=mine") == mine_few


def test_the_item_page_runs_the_same_queries_for_eight_tags_as_for_one(
    olivia, oscar, django_assert_max_num_queries
) -> None:
    tags = [Tag.objects.create(key=f"t{n}", name=f"Tag {n}") for n in range(8)]
    client = signed_in(Client(), olivia)
    one = organised_items(1, tags[:1], oscar)[0]
    eight = organised_items(1, tags, oscar)[0]
    assert query_count(client, f"/queue/{one.pk}/") == query_count(client, f"/queue/{eight.pk}/")
    with django_assert_max_num_queries(34):
        client.get(f"/queue/{eight.pk}/")


def test_the_at_risk_box_runs_the_same_queries_for_four_claimed_items_as_for_one(
    olivia, oscar
) -> None:
    client = signed_in(Client(), olivia)
    claimed = {"claimed_by": oscar, "claimed_until": timezone.now() + dt.timedelta(minutes=5)}
    open_item("I can't go on", category=AT_RISK_CATEGORY, severity=50, **claimed)
    one = query_count(client, "/queue/")
    # Four, not more: a full box (five) adds one query to count what it leaves out.
    for n in range(3):
        open_item(f"no way out {n}", category=AT_RISK_CATEGORY, severity=50, **claimed)
    page = client.get("/queue/").content.decode()
    assert page.count(f"with {oscar}") == 4
    assert query_count(client, "/queue/") == one
