"""Subject access: everything held about one author, exported as JSON or CSV, and the export
audited. Erasure on request: their text and names erased, audited with who asked and why."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from accounts.audit import verify_chain
from accounts.models import AuditEvent
from moderation.models import Author, Comment, Note
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import flag_on, note_on, reply_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> Author:
    channel = ChannelFactory()
    person = AuthorFactory(handle="jsmith", display_name="Jane Smith", platform_id="fb-123")
    first = CommentFactory(channel=channel, author=person, text='=HYPERLINK("x") you muppets')
    flag_on(first, "muppets")
    note_on(first, "Second time this week")
    reply_to(first, "Hi Jane, please DM us")
    CommentFactory(channel=channel, author=person, text="Bins not collected on Elm Street")
    CommentFactory(channel=channel, text="Someone else entirely")
    Note.objects.create(author=person, text="Known to the team", written_by_label="Olivia")
    return person


def test_an_author_is_found_by_handle_or_platform_id(adam, author) -> None:
    client = signed_in(Client(), adam)
    by_handle = client.get("/settings/data-protection/", {"q": "jsmi"})
    by_id = client.get("/settings/data-protection/", {"q": "fb-123"})
    assert f"/settings/data-protection/authors/{author.pk}/".encode() in by_handle.content
    assert f"/settings/data-protection/authors/{author.pk}/".encode() in by_id.content


def test_the_json_export_holds_every_comment_flag_action_and_note(adam, author) -> None:
    response = signed_in(Client(), adam).post(
        f"/settings/data-protection/authors/{author.pk}/export/",
        {"format": "json", "reference": "DP-2026-041"},
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["author"]["handle"] == "jsmith"
    assert len(data["comments"]) == 2
    first = next(c for c in data["comments"] if "muppets" in c["text"])
    assert first["flags"][0]["category"] == "abuse"
    assert first["notes"][0]["text"] == "Second time this week"
    assert first["actions"][0]["text"] == "Hi Jane, please DM us"
    assert data["notes_about_author"][0]["text"] == "Known to the team"
    assert "Someone else entirely" not in response.content.decode()


def test_the_csv_export_cannot_run_as_a_spreadsheet_formula(adam, author) -> None:
    response = signed_in(Client(), adam).post(
        f"/settings/data-protection/authors/{author.pk}/export/", {"format": "csv"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["record", "comment_id", "when", "channel", "kind", "state", "by", "text"]
    texts = [row[7] for row in rows if row[0] == "comment"]
    assert '\'=HYPERLINK("x") you muppets' in texts
    assert {row[0] for row in rows} >= {"author", "comment", "flag", "action", "note"}


def test_an_export_is_audited_with_its_reference_but_not_its_content(adam, author) -> None:
    signed_in(Client(), adam).post(
        f"/settings/data-protection/authors/{author.pk}/export/",
        {"format": "json", "reference": "DP-2026-041"},
    )
    event = AuditEvent.objects.get(event_type="moderation.author.data_exported")
    assert event.actor == adam
    assert event.data == {"format": "json", "reference": "DP-2026-041", "comments": 2}
    assert "jsmith" not in event.target_repr


def test_erasure_on_request_erases_text_and_names_and_says_who_asked(adam, author) -> None:
    response = signed_in(Client(), adam).post(
        f"/settings/data-protection/authors/{author.pk}/erase/",
        {"requested_by": "The person, by email", "reason": "Right to erasure", "confirm": "on"},
    )

    assert response.status_code == 302
    assert not Comment.objects.filter(author=author).exclude(text="").exists()
    author.refresh_from_db()
    assert (author.handle, author.display_name) == ("[erased]", "[erased]")
    assert Note.objects.get(author=author).text == "[erased]"
    assert Comment.objects.get(text="Someone else entirely")
    event = AuditEvent.objects.get(event_type="moderation.author.erased_on_request")
    assert event.data["requested_by"] == "The person, by email"
    assert event.data["reason"] == "Right to erasure"
    assert event.data["comments"] == 2
    assert "Jane" not in json.dumps([event.target_repr, event.data])
    assert verify_chain().ok


def test_erasure_needs_the_box_ticked(adam, author) -> None:
    response = signed_in(Client(), adam).post(
        f"/settings/data-protection/authors/{author.pk}/erase/",
        {"requested_by": "The person", "reason": "Asked"},
    )
    assert response.status_code == 400
    assert Comment.objects.filter(author=author).exclude(text="").count() == 2
