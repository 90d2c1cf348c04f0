"""Phone numbers: UK mobiles and landlines in their usual shapes, and numbers that are not."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


def test_a_uk_mobile_written_with_a_space_is_a_phone_number() -> None:
    assert found("text me on 07911 123456 tonight") == [("phone", "07911 123456")]


@pytest.mark.parametrize(
    "number",
    [
        "+44 7911 123456",
        "+447911123456",
        "0044 7911 123456",
        "+44 (0) 7911 123456",
        "44 7911 123456",
    ],
)
def test_international_forms_of_a_uk_mobile_are_phone_numbers(number: str) -> None:
    assert found(f"ring {number} please") == [("phone", number)]


@pytest.mark.parametrize(
    "number", ["07911-123-456", "07911.123.456", "07911 123 456", "07911123456"]
)
def test_dashes_dots_and_spaces_between_the_digits_do_not_matter(number: str) -> None:
    assert found(f"call {number}") == [("phone", number)]


def test_a_landline_with_its_area_code_in_brackets_is_a_phone_number() -> None:
    assert found("ring (01392) 123456 after six") == [("phone", "(01392) 123456")]


@pytest.mark.parametrize("number", ["020 7946 0123", "0117 496 0123", "01632 960123"])
def test_london_and_other_geographic_numbers_are_phone_numbers(number: str) -> None:
    assert found(f"call {number}") == [("phone", number)]


@pytest.mark.parametrize("number", ["0300 123 4567", "0800 123 4567", "0845 123 4567"])
def test_non_geographic_numbers_are_public_not_personal_data(number: str) -> None:
    # 03, 08 and 09 numbers belong to public bodies, charities and businesses.
    assert found(f"call {number}") == []


def test_ofcom_drama_numbers_count_as_phone_numbers() -> None:
    # The phonenumbers tables call 07700 900xxx invalid; in a comment it looks like anyone's.
    assert found("my number is 07700 900123") == [("phone", "07700 900123")]


def test_a_mobile_shaped_number_in_an_unallocated_block_is_still_a_phone_number() -> None:
    assert found("ring 07690 083586") == [("phone", "07690 083586")]


def test_two_numbers_written_side_by_side_are_two_hits() -> None:
    assert found("07911 123456 07700 900456") == [
        ("phone", "07911 123456"),
        ("phone", "07700 900456"),
    ]


def test_a_foreign_number_with_its_country_code_is_a_phone_number() -> None:
    assert found("in Paris: +33 1 23 45 67 89") == [("phone", "+33 1 23 45 67 89")]


@pytest.mark.parametrize(
    "text",
    [
        "Council tax went up in 2023 and 2024",
        "We paid £1,250 for the repair",
        "Your reference is ref 123456",
        "Meeting on 12/03/2024 at 14:30",
        "Planning application 23/01234/FUL",
        "1 2 3 4 5 6 7 8 9 10 11 12",
        "Population 123,456,789",
    ],
)
def test_years_prices_dates_and_references_are_not_phone_numbers(text: str) -> None:
    assert found(text) == []


def test_a_number_glued_to_letters_is_a_code_not_a_phone_number() -> None:
    assert found("order ABC07911123456X arrived") == []
