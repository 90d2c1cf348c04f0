"""Payment cards: 13-19 digits with a scheme prefix and a passing Luhn check."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


@pytest.mark.parametrize(
    "number",
    [
        "4111 1111 1111 1111",  # Visa
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555 5555 5555 4444",  # Mastercard
        "3714 496353 98431",  # American Express, 4-6-5
    ],
)
def test_a_card_number_is_found_in_the_groupings_cards_are_printed_in(number: str) -> None:
    assert found(f"my card is {number} thanks") == [("payment_card", number)]


def test_a_number_that_fails_luhn_is_not_a_card() -> None:
    assert found("4111 1111 1111 1112") == []


def test_a_luhn_valid_number_without_a_card_scheme_prefix_is_not_a_card() -> None:
    assert found("9111 1111 1111 1110") == []


def test_a_card_followed_by_its_expiry_date_and_code_is_found_alone() -> None:
    assert found("4111 1111 1111 1111 12/27 123") == [("payment_card", "4111 1111 1111 1111")]
