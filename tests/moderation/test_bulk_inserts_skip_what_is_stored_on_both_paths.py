"""``moderation.bulk.insert_new``: COPY on PostgreSQL, bulk_create elsewhere, the same answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from moderation import bulk
from moderation.models import Author, Comment, Flag
from tests.factories import AuthorFactory, ChannelFactory

Insert = Callable[[type[models.Model], Sequence[Mapping[str, Any]], Sequence[str]], dict]


PATHS = [
    pytest.param(bulk._copy_insert, id="copy", marks=pytest.mark.postgres),
    pytest.param(bulk._bulk_create_insert, id="bulk_create"),
]
# "other" takes the path for databases other than PostgreSQL (the embedded SQLite demo).
VENDORS = [pytest.param("postgresql", marks=pytest.mark.postgres), "other"]


def _comment(channel_id: int, author_id: int, platform_id: str, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "channel_id": channel_id,
        "platform_id": platform_id,
        "author_id": author_id,
        "text": f"text of {platform_id}",
        "created_at": now,
        "received_at": now,
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_only_rows_not_stored_before_are_inserted_and_returned(insert: Insert) -> None:
    channel, author = ChannelFactory(), AuthorFactory()
    first = insert(Comment, [_comment(channel.pk, author.pk, "a")], ("channel_id", "platform_id"))
    rows = [_comment(channel.pk, author.pk, pid) for pid in ("a", "b", "c", "b")]
    second = insert(Comment, rows, ("channel_id", "platform_id"))
    assert list(first) == [(channel.pk, "a")]
    assert sorted(second) == [(channel.pk, "b"), (channel.pk, "c")]
    stored = dict(Comment.objects.values_list("platform_id", "id"))
    assert stored == {"a": first[(channel.pk, "a")], **{k[1]: v for k, v in second.items()}}


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_fields_left_out_take_the_model_defaults(insert: Insert) -> None:
    channel, author = ChannelFactory(), AuthorFactory()
    insert(Comment, [_comment(channel.pk, author.pk, "x")], ("channel_id", "platform_id"))
    comment = Comment.objects.get(platform_id="x")
    assert (comment.status, comment.visibility, comment.priority) == ("new", "visible", 0)
    assert comment.categories == []
    assert comment.raw == {}
    assert comment.due_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_json_and_hostile_text_round_trip_exactly(insert: Insert) -> None:
    channel, author = ChannelFactory(), AuthorFactory()
    text = "tab\there\nnew line \\N back\\slash \u202eevil\u202c 🙂 '; DROP TABLE x; --"
    raw = {"message": text, "nested": [1, None, {"k": "v\\"}], "ünï": True}
    row = _comment(channel.pk, author.pk, "h", text=text, raw=raw)
    insert(Comment, [row], ("channel_id", "platform_id"))
    comment = Comment.objects.get(platform_id="h")
    assert comment.text == text
    assert comment.raw == raw


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_a_date_set_when_added_is_set(insert: Insert) -> None:
    before = timezone.now() - dt.timedelta(seconds=1)
    new = insert(
        Author,
        [{"platform": "x", "platform_id": "p-1", "handle": "h", "display_name": "d"}],
        ("platform", "platform_id"),
    )
    author = Author.objects.get(pk=new[("x", "p-1")])
    assert author.first_seen >= before
    assert (author.strikes, author.blocked) == (0, False)


@pytest.mark.django_db
def test_nothing_to_insert_asks_nothing_of_the_database(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        assert bulk.insert_new(Comment, [], unique=("channel_id", "platform_id")) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("vendor", VENDORS)
def test_insert_rows_stores_every_row_with_defaults_and_json(
    vendor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if vendor == "other":  # the bulk_create path, as on SQLite
        monkeypatch.setattr(bulk.connection, "vendor", "sqlite")
    comment = Comment.objects.create(
        channel=ChannelFactory(),
        author=AuthorFactory(),
        platform_id="f",
        text="x",
        created_at=timezone.now(),
        received_at=timezone.now(),
    )
    before = timezone.now() - dt.timedelta(seconds=1)
    explanation = 'Abuse: "you \\N absolute\tidiot"\n🙂'
    rows = [
        {
            "comment_id": comment.pk,
            "ruleset_version": 3,
            "rule_key": key,
            "rule_name": "Abuse",
            "category": "abuse",
            "severity": 4,
            "outcome": "auto_hide",
            "spans": [[0, 3], [7, 12]],
            "explanation": explanation,
            "shadow": key == "b",
        }
        for key in ("a", "b")
    ]
    bulk.insert_rows(Flag, rows)
    a, b = Flag.objects.filter(comment=comment).order_by("rule_key")
    assert (a.spans, a.explanation, a.shadow, b.shadow) == (
        [[0, 3], [7, 12]],
        explanation,
        False,
        True,
    )
    assert (a.route, a.detector, a.reversed, a.rule_id) == ("", "", False, None)
    assert a.created_at >= before


@pytest.mark.django_db
@pytest.mark.parametrize("insert", PATHS)
def test_json_already_written_is_stored_as_its_value(insert: Insert) -> None:
    from moderation.jsontext import JsonText

    channel, author = ChannelFactory(), AuthorFactory()
    raw = {"id": "1_2", "message": "Bin day 🙂 <b>", "nested": {"n": [1, 2.5, None]}}
    row = _comment(channel.pk, author.pk, "j", raw=JsonText.of(raw))
    insert(Comment, [row], ("channel_id", "platform_id"))
    assert Comment.objects.get(platform_id="j").raw == raw


@pytest.mark.django_db
@pytest.mark.parametrize("vendor", VENDORS)
def test_each_row_is_updated_with_its_own_values(
    vendor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel, author = ChannelFactory(), AuthorFactory()
    rows = [_comment(channel.pk, author.pk, p) for p in "abcd"]
    stored = bulk.insert_new(Comment, rows, unique=("channel_id", "platform_id"))
    by_pid = {key[1]: pk for key, pk in stored.items()}
    due = timezone.now() + dt.timedelta(hours=4)
    fields = ["status", "priority", "categories", "due_at"]
    updates = [
        {
            "id": by_pid["a"],
            "status": "held",
            "priority": 63,
            "categories": ["abuse"],
            "due_at": due,
        },
        {"id": by_pid["b"], "status": "review", "priority": 41, "categories": [], "due_at": None},
        {
            "id": by_pid["c"],
            "status": "held",
            "priority": 63,
            "categories": ["abuse"],
            "due_at": due,
        },
    ]
    if vendor == "other":
        monkeypatch.setattr(bulk.connection, "vendor", "sqlite")
    bulk.update_rows(Comment, updates, fields)
    monkeypatch.undo()
    found = {c.platform_id: c for c in Comment.objects.all()}
    assert (found["a"].status, found["a"].priority, found["a"].categories) == (
        "held",
        63,
        ["abuse"],
    )
    assert found["a"].due_at == due and found["c"].due_at == due
    assert (found["b"].status, found["b"].priority, found["b"].categories) == ("review", 41, [])
    assert found["b"].due_at is None
    assert (found["d"].status, found["d"].priority) == ("new", 0)  # not in the rows: untouched
