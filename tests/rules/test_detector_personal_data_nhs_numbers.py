"""NHS numbers: ten digits passing the modulus-11 check, and ten-digit numbers that are not."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data
from rules.engine.detectors.uk_formats import is_valid_nhs_number


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919"])
def test_a_valid_nhs_number_is_found(number: str) -> None:
    assert found(f"her NHS number is {number}") == [("nhs_number", number)]


def test_a_failing_check_digit_is_not_an_nhs_number() -> None:
    assert found("NHS number 943 476 5918") == []


def test_a_number_whose_check_digit_would_be_ten_is_never_valid() -> None:
    # For 100 000 001 the weighted sum is 1*10 + 1*2 = 12; 11 - 12 % 11 = 10, a check digit the
    # NHS never issues, so no tenth digit can make it valid.
    assert not any(is_valid_nhs_number(f"100000001{digit}") for digit in range(10))


def test_a_reference_number_is_not_read_as_an_nhs_number() -> None:
    assert found("your order ref 9434765919 is ready") == []


def test_a_reference_word_does_not_hide_a_number_said_to_be_an_nhs_number() -> None:
    assert found("NHS ref 943 476 5919") == [("nhs_number", "943 476 5919")]


def test_ten_digits_inside_a_longer_number_are_not_an_nhs_number() -> None:
    assert found("serial 12 943 476 5919") == []


def test_a_grouping_that_is_not_3_3_4_is_not_an_nhs_number() -> None:
    assert found("94 34 76 59 19") == []
