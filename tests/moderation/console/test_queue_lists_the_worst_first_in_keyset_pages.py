"""The queue page: worst first, tabs, filters, keyset pages (no OFFSET), a fixed number of
queries however many rows, and odd query strings shown as ignored rather than crashing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.console.queries import (
    TABS_BY_KEY,
    QueueFilters,
    filtered,
    ordering_for,
    page_of,
)
from moderation.models import Comment
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item, outbox_row

pytestmark = pytest.mark.django_db


def ids_on(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-row data-id="(\d+)"', response.content.decode())]


def test_the_review_tab_lists_the_worst_first_then_the_earliest_due(olivia) -> None:
    mild = open_item(severity=1)
    bad_later = open_item(severity=5, due_in=dt.timedelta(hours=4))
    bad_sooner = open_item(severity=5, due_in=dt.timedelta(hours=1))
    open_item(status=Comment.Status.DONE, severity=5)
    response = signed_in(Client(), olivia).get("/queue/")
    assert response.status_code == 200
    assert ids_on(response) == [bad_sooner.pk, bad_later.pk, mild.pk]


def test_each_tab_shows_its_own_items(olivia) -> None:
    held = open_item(status=Comment.Status.HELD)
    escalated = open_item(status=Comment.Status.ESCALATED)
    done = open_item(status=Comment.Status.DONE)
    waiting = open_item(status=Comment.Status.DONE)
    outbox_row(waiting, state="failed", last_error="Token expired")
    client = signed_in(Client(), olivia)
    assert ids_on(client.get("/queue/?tab=held")) == [held.pk]
    assert ids_on(client.get("/queue/?tab=escalated")) == [escalated.pk]
    assert ids_on(client.get("/queue/?tab=waiting")) == [waiting.pk]
    assert set(ids_on(client.get("/queue/?tab=done"))) == {done.pk, waiting.pk}


def test_filters_narrow_the_queue_by_channel_platform_category_author_and_words(olivia) -> None:
    youtube = open_item("spam spam spam", platform="youtube", category="spam")
    facebook = open_item("you absolute idiot", platform="facebook", category="abuse")
    client = signed_in(Client(), olivia)
    assert ids_on(client.get("/queue/?platform=youtube")) == [youtube.pk]
    assert ids_on(client.get(f"/queue/?channel={facebook.channel_id}")) == [facebook.pk]
    assert ids_on(client.get("/queue/?category=spam")) == [youtube.pk]
    assert ids_on(client.get("/queue/?q=IDIOT")) == [facebook.pk]
    assert ids_on(client.get(f"/queue/?author={youtube.author_id}")) == [youtube.pk]


def test_the_assignee_filter_finds_items_claimed_or_handled_by_someone(olivia, oscar) -> None:
    mine = open_item(claimed_by=oscar, claimed_until=timezone.now() + dt.timedelta(minutes=5))
    handled = open_item(status=Comment.Status.DONE, handled_by=oscar)
    open_item()
    client = signed_in(Client(), olivia)
    assert ids_on(client.get(f"/queue/?assignee={oscar.pk}")) == [mine.pk]
    assert ids_on(client.get(f"/queue/?tab=done&assignee={oscar.pk}")) == [handled.pk]


def test_the_date_filter_uses_the_day_received_in_london(olivia) -> None:
    old = open_item(received_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
    open_item(received_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC))
    client = signed_in(Client(), olivia)
    response = client.get("/queue/?received_from=2026-03-01&received_to=2026-03-02")
    assert ids_on(response) == [old.pk]


def test_nonsense_in_the_query_string_is_ignored_and_said_so(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    response = client.get(
        # (A NUL byte is refused before any page: tests/security/test_nul_bytes_in_a_request_...)
        "/queue/?channel=abc&received_from=yesterday&tab=<script>&after=%01%ff&before=e30&seen=x"
    )
    assert response.status_code == 200
    assert ids_on(response) == [item.pk]
    assert b"(ignored)" in response.content
    assert b"<script>" not in response.content


def test_keyset_pages_cover_every_item_once_forwards_and_backwards() -> None:
    channel, author = ChannelFactory(), AuthorFactory()
    now = timezone.now()
    for n in range(23):
        CommentFactory(
            channel=channel,
            author=author,
            status=Comment.Status.REVIEW,
            priority=(n % 4) * 20,
            # Some items have no due time: they sort after every due item of their priority.
            due_at=None if n % 5 == 0 else now + dt.timedelta(minutes=(n * 37) % 60),
        )
    queryset = filtered(QueueFilters(tab="review"))
    ordering = ordering_for(TABS_BY_KEY["review"])
    far = now + dt.timedelta(days=365)
    expected = [
        c.pk
        for c in sorted(
            queryset, key=lambda c: (-c.priority, c.due_at is None, c.due_at or far, c.pk)
        )
    ]
    pages, cursor = [], ""
    while True:
        page = page_of(queryset, ordering, after=cursor, size=5)
        pages.append([c.pk for c in page.items])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [pk for p in pages for pk in p] == expected
    last = page_of(queryset, ordering, after=cursor, size=5)
    assert last.previous_cursor is not None
    back = page_of(queryset, ordering, before=last.previous_cursor, size=5)
    assert [c.pk for c in back.items] == pages[-2]


def queries_for(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_queue_page_runs_the_same_few_queries_for_5_rows_as_for_50(
    olivia, django_assert_max_num_queries
) -> None:
    client = signed_in(Client(), olivia)
    for n in range(5):
        outbox_row(open_item(f"comment number {n}", severity=1 + n % 5), state="pending")
    few = queries_for(client, "/queue/")
    for n in range(60):
        outbox_row(open_item(f"comment number {n}", severity=1 + n % 5), state="failed")
    many = queries_for(client, "/queue/")
    assert len(many) == len(few)
    assert "OFFSET" not in " ".join(many).upper()
    # Sign-in, session and layout take about a dozen; the queue itself: a page, its flags, tags
    # and outbox rows, the channels, the tag filter's options, one capped count per tab, and
    # the open items someone may be at risk in (shown above every tab).
    with django_assert_max_num_queries(27):
        client.get("/queue/?tab=waiting")


def test_the_next_page_link_carries_a_cursor_and_the_filters(olivia) -> None:
    for _ in range(55):
        open_item(platform="facebook", category="spam")
    client = signed_in(Client(), olivia)
    first = client.get("/queue/?category=spam")
    link = re.search(r'href="\?([^"]*after=[^"]+)" rel="next"', first.content.decode())
    assert link is not None
    second = client.get("/queue/?" + link.group(1).replace("&amp;", "&"))
    assert len(ids_on(second)) == 5
    assert not set(ids_on(first)) & set(ids_on(second))
