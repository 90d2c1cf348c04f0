"""The audit log browser: filters find the right events, pages by key, shows diffs and the chain."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client

from accounts.audit import record
from accounts.models import AuditEvent, User
from moderation.reports.audit_log import diff_rows, page_of
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in
from tests.moderation.reports.factories_reports import london


def event(event_type: str, **kwargs: Any) -> AuditEvent:
    """An event by a person (the log's default view), unless ``actor`` says otherwise."""
    actor = kwargs.pop("actor", None) or User.objects.get_or_create(username="ivy")[0]
    with transaction.atomic():
        return record(event_type, actor=actor, **kwargs)


def shown_ids(response) -> list[int]:
    return [
        int(n) for n in re.findall(r'<td class="num small">(\d+)</td>', response.content.decode())
    ]


@pytest.fixture
def manager_client(maya) -> Client:
    return signed_in(Client(), maya)


@pytest.mark.django_db
def test_filtering_by_person_shows_only_their_events(manager_client, olivia, oscar) -> None:
    mine = event("moderation.comment.hidden", actor=olivia)
    theirs = event("moderation.comment.hidden", actor=oscar)
    ids = shown_ids(manager_client.get(f"/audit/?actor={olivia.pk}"))
    assert mine.pk in ids
    assert theirs.pk not in ids


@pytest.mark.django_db
def test_an_action_prefix_matches_every_event_beneath_it(manager_client) -> None:
    hidden = event("moderation.comment.hidden")
    removed = event("moderation.comment.removed")
    queued = event("moderation.action.queued")
    prefixed = shown_ids(manager_client.get("/audit/?event_type=moderation.comment."))
    assert {hidden.pk, removed.pk} <= set(prefixed)
    assert queued.pk not in prefixed
    exact = shown_ids(manager_client.get("/audit/?event_type=moderation.comment.hidden"))
    assert hidden.pk in exact and removed.pk not in exact


@pytest.mark.django_db
def test_filtering_by_channel_and_by_target(manager_client) -> None:
    channel, other = ChannelFactory(), ChannelFactory()
    comment = CommentFactory(channel=channel)
    on_channel = event("moderation.comment.hidden", channel_id=channel.pk, target=comment)
    elsewhere = event("moderation.comment.hidden", channel_id=other.pk)
    by_channel = shown_ids(manager_client.get(f"/audit/?channel={channel.pk}"))
    assert by_channel == [on_channel.pk]
    by_target = shown_ids(
        manager_client.get(f"/audit/?target_type=moderation.comment&target_id={comment.pk}")
    )
    assert by_target == [on_channel.pk]
    assert elsewhere.pk not in by_target


@pytest.mark.django_db
def test_filtering_by_period_uses_london_days(manager_client) -> None:
    with time_machine.travel(london(2025, 8, 4, 0, 30), tick=False):  # 23:30 UTC on 3 August
        early_on_the_fourth = event("moderation.comment.hidden")
    with time_machine.travel(london(2025, 8, 5, 12), tick=False):
        on_the_fifth = event("moderation.comment.hidden")
    ids = shown_ids(manager_client.get("/audit/?start=2025-08-04&end=2025-08-04"))
    assert ids == [early_on_the_fourth.pk]
    assert on_the_fifth.pk not in ids


@pytest.mark.django_db
def test_pages_are_keyed_on_the_event_id(manager_client) -> None:
    events = [event("tests.page.thing", data={"n": n}) for n in range(120)]
    newest_first = [e.pk for e in reversed(events)]
    first = manager_client.get("/audit/?event_type=tests.")
    assert shown_ids(first) == newest_first[:50]
    assert f"before={newest_first[49]}" in first.content.decode()
    second = manager_client.get(f"/audit/?event_type=tests.&before={newest_first[49]}")
    assert shown_ids(second) == newest_first[50:100]
    back = manager_client.get(f"/audit/?event_type=tests.&after={newest_first[50]}")
    assert shown_ids(back) == newest_first[:50]


@pytest.mark.django_db
def test_before_and_after_appear_as_a_diff_with_changes_marked(manager_client) -> None:
    event(
        "moderation.comment.approved",
        before={"status": "held", "visibility": "hidden"},
        after={"status": "done", "visibility": "hidden"},
    )
    page = manager_client.get("/audit/").content.decode()
    assert '<tr class="changed"><th scope="row">status</th><td>held</td><td>done' in page
    assert '<tr><th scope="row">visibility</th><td>hidden</td><td>hidden</td></tr>' in page


def test_a_diff_handles_missing_sides_and_values_that_are_not_objects() -> None:
    rows = diff_rows(None, {"state": "open"})
    assert [(r.key, r.before, r.after, r.changed) for r in rows] == [("state", "–", "open", True)]
    assert [(r.key, r.before, r.after) for r in diff_rows([1, 2], "x")] == [
        ("value", "[1, 2]", "x")
    ]
    assert diff_rows(None, None) == []
    (long,) = diff_rows({"text": "x" * 5000}, None)
    assert len(long.before) == 300


def test_a_stored_timestamp_reads_as_london_time() -> None:
    (row,) = diff_rows(None, {"deadline_at": "2025-09-22T22:59:59Z"})
    assert row.after == "22 Sep 2025 23:59:59"
    (not_a_date,) = diff_rows(None, {"note": "2025-13-45T99:99 is not a date"})
    assert not_a_date.after == "2025-13-45T99:99 is not a date"


@pytest.mark.django_db
def test_hostile_text_in_an_event_is_escaped(manager_client) -> None:
    event("moderation.note.added", target_repr="<img src=x onerror=alert(1)>", data={"x": "<b>"})
    page = manager_client.get("/audit/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.django_db
def test_the_chain_state_shows_and_verifying_now_updates_it(manager_client) -> None:
    for _ in range(3):
        event("tests.chain.link")
    assert "Not verified yet" in manager_client.get("/audit/").content.decode()
    response = manager_client.post("/audit/verify/", follow=True)
    page = response.content.decode()
    assert "The audit chain is intact" in page
    assert "Intact." in page
    assert "Verify the chain now" in page


@pytest.mark.django_db
def test_a_tampered_chain_shows_where_it_broke(manager_client) -> None:
    events = [event("tests.chain.link") for _ in range(3)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE accounts_auditevent SET actor_label = %s WHERE id = %s",
            ["forged", events[1].pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER USER")
    page = manager_client.post("/audit/verify/", follow=True).content.decode()
    assert f"Broken at event {events[1].pk}" in page


@pytest.mark.django_db
def test_the_audit_page_costs_the_same_queries_for_a_full_page(
    manager_client, django_assert_max_num_queries
) -> None:
    event("tests.cost.thing")
    manager_client.get("/audit/")  # fills the cached suggestions for the filter boxes
    with django_assert_max_num_queries(25) as few:
        manager_client.get("/audit/")
    for _ in range(60):
        event("tests.cost.thing", before={"a": 1}, after={"a": 2})
    with django_assert_max_num_queries(25) as many:
        manager_client.get("/audit/")
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_paging_past_the_end_is_an_empty_page_not_an_error() -> None:
    page = page_of(AuditEvent.objects.all(), before=1, after=None, channel_names={})
    assert page.rows == []
    assert page.older_than is None
