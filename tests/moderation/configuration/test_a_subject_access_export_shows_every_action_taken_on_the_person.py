"""A subject access export tells the person what was done with their data: each hide, removal
and reply on their comments with its dates, each block of them wherever it was taken from, the
strikes counted against them, their appeals, and what officers wrote about them."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from accounts.audit import SystemActor
from moderation.actions import (
    do_add_note,
    do_block_author,
    do_hide_comment,
    do_remove_comment,
    do_reply_to_comment,
)
from moderation.actions.subject_access import subject_access_csv, subject_access_data
from moderation.models import Appeal, Author, Comment
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory, FlagFactory

pytestmark = pytest.mark.django_db


def _flagged(author: Author, text: str) -> Comment:
    comment = CommentFactory(channel=ChannelFactory(), author=author, text=text)
    FlagFactory(comment=comment)
    return comment


@pytest.fixture
def person(olivia) -> Author:
    person = AuthorFactory(handle="jsmith", display_name="Jane Smith")
    hidden = _flagged(person, "you lot are useless muppets")
    removed = _flagged(person, "useless muppets again")
    answered = CommentFactory(channel=hidden.channel, author=person, text="When are bins?")
    do_hide_comment(hidden, actor=olivia)
    do_block_author(hidden, actor=olivia)
    do_remove_comment(removed, actor=olivia)
    do_reply_to_comment(answered, "Thursdays, Jane.", actor=olivia)
    do_add_note(text="Third warning; manager told", comment=hidden, actor=olivia)
    Appeal.objects.create(
        comment=removed,
        received_via="email",
        summary="I was only joking",
        recorded_by_label="Olivia (olivia)",
        recorded_at=timezone.now(),
    )
    person.refresh_from_db()  # the strikes were counted in the database
    return person


def _comment(data: dict, words: str) -> dict:
    return next(c for c in data["comments"] if words in c["text"])


def test_a_block_taken_from_a_comment_is_listed_as_an_action_on_the_person(person) -> None:
    data = subject_access_data(person)

    [block] = data["actions_on_author"]
    hidden = _comment(data, "you lot")
    assert block["kind"] == "block"
    assert block["comment_id"] == hidden["id"]
    assert block["requested_at"]
    assert block["by"] == "Olivia Okafor (olivia)"
    assert "block" not in [a["kind"] for a in hidden["actions"]]


def test_hides_removals_and_replies_are_listed_on_their_comments_with_dates(person) -> None:
    data = subject_access_data(person)

    [hide] = _comment(data, "you lot")["actions"]
    [removal] = _comment(data, "again")["actions"]
    [reply] = _comment(data, "When are bins?")["actions"]
    assert (hide["kind"], removal["kind"], reply["kind"]) == ("hide", "remove", "reply")
    assert reply["text"] == "Thursdays, Jane."
    assert all(a["requested_at"] and "completed_at" in a for a in (hide, removal, reply))


def test_the_strikes_their_appeals_and_the_officers_notes_are_in_the_export(person) -> None:
    data = subject_access_data(person)

    assert data["author"]["strikes"] == 2
    assert data["author"]["blocked"] is False  # asked for; the platform has not answered yet
    [appeal] = _comment(data, "again")["appeals"]
    assert appeal["summary"] == "I was only joking"
    assert appeal["state"] == "open"
    assert appeal["recorded_at"]
    [note] = _comment(data, "you lot")["notes"]
    assert note["text"] == "Third warning; manager told"


def test_the_csv_has_a_row_for_the_block_and_for_the_appeal(person) -> None:
    rows = list(csv.reader(io.StringIO(subject_access_csv(subject_access_data(person)))))

    [block] = [row for row in rows if row[0] == "action on author"]
    hidden = next(row for row in rows if row[0] == "comment" and "you lot" in row[7])
    assert (block[1], block[4], block[6]) == (hidden[1], "block", "Olivia Okafor (olivia)")
    assert block[2]
    [appeal] = [row for row in rows if row[0] == "appeal"]
    assert (appeal[4], appeal[5], appeal[7]) == ("email", "open", "I was only joking")


def test_an_automatic_hide_is_listed_with_the_rule_that_took_it(person) -> None:
    comment = _flagged(person, "spam spam spam")
    do_hide_comment(comment, actor=SystemActor.rule("abuse.profanity v1"))

    [hide] = _comment(subject_access_data(person), "spam spam")["actions"]
    assert hide["by"] == "abuse.profanity v1"
