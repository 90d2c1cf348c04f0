"""A staff surname that opens a sentence names its holder ("Hale covered this up", "Ashworth
needs to go"), for the rule and the learned stage. A surname that is also an ordinary English
word ("Hale", "Price", "Bush") needs a verb after it to be a person: "Hale and hearty", "Price
rises are shocking" and "Bush fire on the moor" name nobody; nor does a surname followed by
another capitalised word, which makes a place ("Lumb Lane", "Hale Barns")."""

from __future__ import annotations

import pytest

from rules.engine.detectors.people import is_named
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.masks import STAFF_WORD, build_masks
from tests.rules.staff_rule import staff_engine

SETTINGS = {
    "staff_names": [
        {"name": "Cllr Marian Ashworth", "role": "Leader of the Council"},
        {"name": "Declan Hale", "role": "Chief Executive"},
        {"name": "Gareth Lumb", "role": "Director of Place"},
        {"name": "Jo Price", "role": "Head of Parking"},
        {"name": "Sam Bush", "role": "Parks Manager"},
    ]
}
ENGINE = staff_engine(SETTINGS)
MASKS = build_masks(SETTINGS)


def staff_in(text: str) -> bool:
    return STAFF_WORD in [token.text for token in extract(Document(text), MASKS).tokens]


def flagged(text: str) -> bool:
    return bool(ENGINE.evaluate(text))


@pytest.mark.parametrize(
    "text",
    [
        "Hale covered this up. Disgraceful.",
        "Ashworth needs to go.",
        "Ashworth waved it through and lied about it.",
        "Lumb ignored every email we sent. Useless.",
        "Price lied to the residents' meeting, disgraceful.",
        "Bush should resign.",
    ],
)
def test_a_surname_opening_a_sentence_with_a_verb_after_it_is_staff(text: str) -> None:
    assert staff_in(text)
    assert flagged(text)


def test_a_surname_that_is_no_ordinary_word_opens_a_sentence_as_a_name() -> None:
    text = "Ashworth. Useless from day one."
    start = text.index("Ashworth")
    assert is_named(text, start, start + len("Ashworth"))
    assert flagged("Ashworth, incompetent as ever.")


@pytest.mark.parametrize(
    "text",
    [
        "Hale and hearty at 90, what a useless forecast though.",
        "Price rises are shocking.",
        "Bush fire on the moor again, terrible.",
        "Lumb Lane's been closed for a week, useless.",
        "Hale Barns bus has been axed, disgraceful.",
    ],
)
def test_an_ordinary_word_or_a_place_at_the_start_of_a_sentence_is_nobody(text: str) -> None:
    assert not staff_in(text)
    assert not flagged(text)


def test_a_surname_mid_sentence_still_names_its_holder() -> None:
    assert staff_in("Honestly Hale is a disgrace")
    assert flagged("Why does Price never answer? Useless.")
