"""The detector's contract: sorted, non-overlapping spans, the kinds setting, and hostile input."""

from __future__ import annotations

import random
from itertools import pairwise

from rules.engine.detectors.personal_data import KINDS, PersonalDataHit, find_personal_data

MIXED = (
    "Jane lives at 12 Mill Lane, Exeter EX1 1AA, ring 07911 123456 or jane@gmail.com; "
    "NI AB 12 34 56 C, NHS 943 476 5919, card 4111 1111 1111 1111, "
    "sort code 12-34-56 account 12345678, IBAN GB82 WEST 1234 5698 7654 32."
)


def test_every_kind_is_found_in_one_comment_sorted_by_start() -> None:
    hits = find_personal_data(MIXED)
    assert [hit.kind for hit in hits] == [
        "address",
        "phone",
        "email",
        "ni_number",
        "nhs_number",
        "payment_card",
        "bank_account",
        "bank_account",
        "iban",
    ]
    assert hits == sorted(hits, key=lambda hit: hit.start)
    assert all(left.end <= right.start for left, right in pairwise(hits))


def test_kinds_restricts_what_is_looked_for() -> None:
    hits = find_personal_data(MIXED, {"kinds": ["email", "iban"]})
    assert [hit.kind for hit in hits] == ["email", "iban"]


def test_a_postcode_is_still_found_when_only_postcodes_are_asked_for() -> None:
    hits = find_personal_data(MIXED, {"kinds": ["postcode"]})
    assert [MIXED[hit.start : hit.end] for hit in hits] == ["EX1 1AA"]


def test_unknown_kinds_find_nothing_and_a_single_kind_may_be_a_string() -> None:
    assert find_personal_data(MIXED, {"kinds": ["shoe_size"]}) == []
    assert [hit.kind for hit in find_personal_data(MIXED, {"kinds": "phone"})] == ["phone"]


def test_a_hit_is_a_frozen_value() -> None:
    hit = PersonalDataHit(0, 5, "phone")
    assert hit == PersonalDataHit(0, 5, "phone")
    assert hash(hit) == hash(PersonalDataHit(0, 5, "phone"))


def test_lone_surrogates_emoji_and_control_characters_do_not_raise() -> None:
    for text in ("\ud800", "a\udfff07911 123456", "😀" * 50, "\x00\x1b[31m", "\u202e\u2066", ""):
        assert isinstance(find_personal_data(text), list)


def test_random_unicode_never_raises_and_spans_stay_inside_the_text() -> None:
    generator = random.Random(20240601)
    alphabet = "0123456789 +-.()@abcEXZQ@\u200b\uff10\uff20\u0660\u202e\ud800😀,/\n"
    for _ in range(500):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 80)))
        hits = find_personal_data(text)
        assert all(0 <= hit.start < hit.end <= len(text) and hit.kind in KINDS for hit in hits)
        assert all(left.end <= right.start for left, right in pairwise(hits))


def test_a_megabyte_of_hostile_text_is_scanned_without_raising() -> None:
    assert find_personal_data("0 7 9 1 1 " * 100_000)
    assert find_personal_data("a@" * 500_000) == []
    assert find_personal_data("😀" * 1_000_000) == []
