"""Bank details: sort code with account number, and IBANs with their mod-97 check."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


def test_a_sort_code_near_an_account_number_is_bank_details() -> None:
    assert found("sort code 12-34-56 account 12345678") == [
        ("bank_account", "12-34-56"),
        ("bank_account", "12345678"),
    ]


def test_an_unlabelled_sort_code_shape_next_to_eight_digits_is_bank_details() -> None:
    assert found("pay 40.11.62 / 71234567 today") == [
        ("bank_account", "40.11.62"),
        ("bank_account", "71234567"),
    ]


def test_a_bare_eight_digit_number_is_not_bank_details() -> None:
    assert found("we had 12345678 visitors") == []


def test_a_sort_code_shape_alone_is_not_bank_details() -> None:
    assert found("the score was 12-34-56") == []


@pytest.mark.parametrize("label", ["sort code", "Sort-code:", "SC:"])
def test_a_labelled_sort_code_is_bank_details_on_its_own(label: str) -> None:
    assert found(f"{label} 12 34 56") == [("bank_account", "12 34 56")]


def test_a_labelled_account_number_is_bank_details_on_its_own() -> None:
    assert found("account number 12345678") == [("bank_account", "12345678")]


@pytest.mark.parametrize(
    "iban", ["GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "gb82-west-1234-5698-7654-32"]
)
def test_a_valid_iban_is_found(iban: str) -> None:
    assert found(f"IBAN {iban} thanks") == [("iban", iban)]


def test_a_foreign_iban_is_found() -> None:
    assert found("DE89 3704 0044 0532 0130 00") == [("iban", "DE89 3704 0044 0532 0130 00")]


def test_an_iban_with_wrong_check_digits_is_not_an_iban() -> None:
    assert [kind for kind, _ in found("GB83 WEST 1234 5698 7654 32")] == []


def test_an_unknown_country_code_is_not_an_iban() -> None:
    assert [kind for kind, _ in found("UK82 WEST 1234 5698 7654 32")] == []


@pytest.mark.parametrize("pair", ["12-34-56 12345678", "12 34 56 12345678", "12.34.56/12345678"])
def test_a_sort_code_written_straight_before_its_account_number_is_bank_details(pair: str) -> None:
    kinds = [kind for kind, _ in found(f"pay me: {pair}")]
    assert kinds == ["bank_account", "bank_account"]
