"""CSV exports stream, keep every table, and defuse cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from django.test import Client

from accounts.audit import SystemActor, record
from accounts.models import AuditEvent
from moderation.spreadsheet import safe_cell
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import FlagFactory


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("plain words", "plain words"),
        ("", ""),
    ],
)
def test_text_that_starts_like_a_formula_is_prefixed_with_a_quote(
    value: str, expected: str
) -> None:
    assert safe_cell(value) == expected


def test_numbers_stay_numbers_and_nothing_odd_raises() -> None:
    assert safe_cell(-3) == -3
    assert safe_cell(12.5) == 12.5
    assert safe_cell(None) == ""
    assert safe_cell(True) == "yes"
    assert safe_cell({"b": 1, "a": "=x"}) == '{"a": "=x", "b": 1}'
    assert safe_cell("nul\x00byte") == "nulbyte"


@pytest.mark.django_db
def test_the_audit_export_streams_every_matching_event_with_formulas_defused(maya) -> None:
    client = signed_in(Client(), maya)
    channel = ChannelFactory(name="=cmd|'/c calc'!A1")
    with transaction.atomic():
        record(
            "moderation.comment.hidden",
            actor=SystemActor.rule("=rule that looks like a formula"),
            channel_id=channel.pk,
            target_repr="@mention",
            before={"status": "review"},
            after={"status": "done"},
        )
    rows = read_csv(
        export(client, "/audit/export.csv?actor_kind=all&event_type=moderation.comment.")
    )
    header, *events = rows
    assert header[:6] == ["id", "occurred_at", "actor_kind", "actor_id", "actor", "event_type"]
    assert len(events) == 1
    event = dict(zip(header, events[0], strict=True))
    assert event["actor"] == "'=rule that looks like a formula"
    assert event["channel"] == f"'=cmd|'/c calc'!A1 ({channel.where})"
    assert event["target"] == "'@mention"
    assert event["after"] == '{"status": "done"}'
    assert len(event["hash"]) == 64


@pytest.mark.django_db
def test_downloading_an_export_is_itself_recorded(maya) -> None:
    client = signed_in(Client(), maya)
    streamed(export(client, "/audit/export.csv?actor_kind=rule"))
    event = AuditEvent.objects.get(event_type="moderation.export.downloaded")
    assert event.actor_id == maya.pk
    assert event.data == {"export": "audit_log", "filters": {"actor_kind": "rule"}}


@pytest.mark.django_db
def test_the_report_export_has_every_table_in_one_file(maya) -> None:
    comment = CommentFactory(
        channel=ChannelFactory(), author=AuthorFactory(display_name="=2+2", strikes=5)
    )
    for _ in range(2):
        FlagFactory(comment=comment)
    rows = read_csv(export(signed_in(Client(), maya), "/reports/export.csv"))
    titles = [row[0] for row in rows if len(row) == 1]
    assert "Comments received by day and category" in titles
    assert "Escalations by route" in titles
    assert "Repeat offenders" in titles
    assert ["Organisation", "Our council"] in rows
    assert any(row and row[0] == "'=2+2" for row in rows)


@pytest.mark.django_db
def test_one_table_can_be_exported_on_its_own(maya) -> None:
    FlagFactory(comment=CommentFactory(), category="spam", rule_key="spam.links")
    rows = read_csv(export(signed_in(Client(), maya), "/reports/export.csv?table=categories"))
    assert rows == [["Category", "Comments", "Share"], ["spam", "1", "100.0"]]
