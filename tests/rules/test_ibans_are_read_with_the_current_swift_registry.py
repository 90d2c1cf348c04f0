"""IBANs: each country's length and format come from the SWIFT IBAN registry as python-stdnum
keeps it, so a country that joined the registry is found without editing a table here."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


@pytest.mark.parametrize(
    "number",
    [
        "GB29 NWBK 6016 1331 9268 19",
        "RU02 0445 2560 0407 0281 0412 3456 7890 1",
        "OM040280000012345678901",
    ],
)
def test_an_iban_of_a_registry_country_is_found(number: str) -> None:
    assert found(f"pay into {number} please") == [("iban", number)]


def test_an_iban_whose_bank_code_has_the_wrong_shape_is_not_found() -> None:
    # The United Kingdom's BBAN is four letters then fourteen digits; mod 97 alone passes this.
    assert found("pay into GB58 1234 6016 1331 9268 19 please") == []
