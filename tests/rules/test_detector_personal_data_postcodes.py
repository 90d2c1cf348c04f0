"""Postcodes: every outward/inward shape with Royal Mail's letter rules, and near misses."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


@pytest.mark.parametrize(
    "postcode", ["M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA"]
)
def test_each_postcode_shape_is_found(postcode: str) -> None:
    assert found(f"I am at {postcode} now") == [("postcode", postcode)]


@pytest.mark.parametrize("postcode", ["SW1A1AA", "sw1a 1aa", "ex4 4qj", "EX4  4QJ", "DH1-4PS"])
def test_a_postcode_without_its_space_in_lower_case_or_hyphenated_is_found(postcode: str) -> None:
    assert found(f"send it to {postcode}") == [("postcode", postcode)]


@pytest.mark.parametrize("text", ["the B12 bus", "stuck on the M25 again", "EX4 is lovely"])
def test_an_outward_code_alone_is_not_a_postcode(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "QA1 1AA",  # Q never starts a postcode
        "EX1 1AC",  # C is never an inward letter
        "EX1 1MA",  # nor M
        "AJ1 1AA",  # J is never second
        "ZZ1 1AA",  # no such area
    ],
)
def test_letters_royal_mail_never_uses_rule_a_candidate_out(text: str) -> None:
    assert found(f"code {text} here") == []


def test_a_lower_case_ordinal_after_text_speak_is_not_a_postcode() -> None:
    assert found("see u b4 2nd may") == []


def test_a_postcode_shape_inside_a_handle_or_hashtag_is_not_a_postcode() -> None:
    assert found("thanks @M94RX and #EX44QJ") == []
