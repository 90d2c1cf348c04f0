"""Street addresses: house number and street, with town and postcode, and phrases that are not."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


@pytest.mark.parametrize(
    "address",
    ["12 Mill Lane", "4a Station Road", "221 St Mary's Road", "7 High St", "10 The Crescent"],
)
def test_a_house_number_and_street_is_an_address(address: str) -> None:
    assert found(f"she is at {address} now") == [("address", address)]


def test_a_flat_and_house_number_are_one_address() -> None:
    assert found("flat 3, 12 Mill Lane") == [("address", "flat 3, 12 Mill Lane")]


def test_an_address_with_its_town_and_postcode_is_one_hit() -> None:
    text = "he lives at 12 Mill Lane, Exeter EX1 1AA, go and see"
    assert found(text) == [("address", "12 Mill Lane, Exeter EX1 1AA")]


def test_a_named_building_before_a_postcode_is_part_of_the_address() -> None:
    assert found("Hampden House, Aylesbury HP20 1RF") == [
        ("address", "Hampden House, Aylesbury HP20 1RF")
    ]


def test_a_sentence_before_a_postcode_is_not_made_part_of_the_address() -> None:
    assert found("I live near there, EX1 1AA") == [("postcode", "EX1 1AA")]


@pytest.mark.parametrize(
    "text",
    [
        "the A38 road is shut",
        "Main Street is closed",
        "it is a 10 minute walk",
        "3 people crossing the road",
        "a 3 bed terrace for sale",
        "we saw 12 oak road signs",
    ],
)
def test_roads_and_counts_without_a_house_number_are_not_addresses(text: str) -> None:
    assert found(text) == []


def test_an_all_lower_case_street_counts_after_words_that_give_an_address() -> None:
    assert found("he lives at 12 mill lane") == [("address", "12 mill lane")]


def test_famous_public_addresses_are_not_private_information() -> None:
    assert found("protest outside 10 Downing Street, London SW1A 2AA") == []


def test_a_house_number_written_after_no_dot_is_an_address() -> None:
    assert found("she lives at No.14 Acacia Avenue") == [("address", "14 Acacia Avenue")]


def test_a_decimal_number_before_capitalised_words_is_not_an_address() -> None:
    assert found("version 2.5 Release Road map") == []
