"""Evasions: odd Unicode, spelled-out emails and split digits, with spans in the original text."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


def test_fullwidth_digits_are_read_as_digits_and_the_span_is_the_original_text() -> None:
    text = "ring ０７９１１ １２３４５６ now"
    assert found(text) == [("phone", "０７９１１ １２３４５６")]


def test_a_zero_width_space_inside_a_phone_number_does_not_hide_it() -> None:
    assert found("07911\u200b123\u200d456") == [("phone", "07911\u200b123\u200d456")]


def test_a_soft_hyphen_and_a_direction_override_inside_a_postcode_do_not_hide_it() -> None:
    assert found("EX1\u00ad \u202e1AA") == [("postcode", "EX1\u00ad \u202e1AA")]


def test_digits_spaced_out_one_by_one_are_still_a_phone_number() -> None:
    assert found("0 7 9 1 1 1 2 3 4 5 6") == [("phone", "0 7 9 1 1 1 2 3 4 5 6")]


def test_en_dashes_and_other_script_digits_are_read_as_dashes_and_digits() -> None:
    assert found("07911–123–456") == [("phone", "07911–123–456")]
    assert found("٠٧٩١١ ١٢٣٤٥٦") == [("phone", "٠٧٩١١ ١٢٣٤٥٦")]


@pytest.mark.parametrize(
    "email",
    [
        "jane.smith@gmail.com",
        "jane dot smith at gmail dot com",
        "jane[at]gmail.com",
        "jane (at) gmail (dot) com",
        "jane @ gmail.com",
        "jane.smith at gmail.com",
        "jane,smith@gmail,com",
        "JANE@GMAIL.COM",
        "jane＠gmail．com",
        "ja\u200bne@gm\u200bail.com",
    ],
)
def test_an_email_is_found_however_it_is_written(email: str) -> None:
    assert found(f"write to {email} please") == [("email", email)]


@pytest.mark.parametrize(
    "text",
    [
        "details at exeter.gov.uk/bins",
        "thanks @ExeterCouncil for the help",
        "look at this. Then the rest",
        "hi @bbc.news team",
    ],
)
def test_websites_mentions_and_sentences_are_not_emails(text: str) -> None:
    assert found(text) == []


def test_an_email_stops_at_the_end_of_its_domain() -> None:
    assert found("jane@gmail.com,thanks") == [("email", "jane@gmail.com")]
