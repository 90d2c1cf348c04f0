"""National Insurance numbers: HMRC's prefix rules, spacing, and the suffix letter."""

from __future__ import annotations

import pytest

from rules.engine.detectors.personal_data import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text)]


@pytest.mark.parametrize(
    "number", ["AB 12 34 56 C", "AB123456C", "ab 12 34 56 c", "AB-12-34-56-C", "AB/12/34/56/C"]
)
def test_a_national_insurance_number_is_found_however_it_is_spaced(number: str) -> None:
    assert found(f"my NI is {number} ok") == [("ni_number", number)]


def test_the_hmrc_example_prefix_qq_is_not_a_real_number() -> None:
    assert found("e.g. QQ 12 34 56 C") == []


@pytest.mark.parametrize("prefix", ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"])
def test_prefixes_never_allocated_are_not_national_insurance_numbers(prefix: str) -> None:
    assert found(f"{prefix} 12 34 56 A") == []


@pytest.mark.parametrize("prefix", ["DA", "FA", "IA", "UA", "VA", "AD", "AO", "AV"])
def test_letters_hmrc_never_uses_in_the_prefix_rule_a_number_out(prefix: str) -> None:
    assert found(f"{prefix} 12 34 56 A") == []


def test_a_suffix_letter_after_d_is_not_a_national_insurance_number() -> None:
    assert found("AB 12 34 56 E") == []


def test_without_its_suffix_letter_it_needs_the_words_ni_or_national_insurance() -> None:
    assert found("order AB123456 shipped") == []
    assert found("national insurance no AB123456") == [("ni_number", "AB123456")]


def test_a_sentence_that_happens_to_fit_the_pattern_is_not_a_national_insurance_number() -> None:
    assert found("it went up by 150000 a year") == []
    assert found("national insurance: by 15 00 00 a") == [("ni_number", "by 15 00 00 a")]


@pytest.mark.parametrize("number", ["QQ 12 34 56 C", "QQ123456A", "ZZ 12 34 56 D"])
def test_a_number_given_as_someones_national_insurance_number_is_found_whatever_its_prefix(
    number: str,
) -> None:
    # The person says it is their NI number: it is disclosed as personal data whether or not
    # HMRC would have issued that prefix (QQ is HMRC's specimen, and residents copy it).
    assert found(f"my national insurance number is {number}") == [("ni_number", number)]
    assert found(f"NI no. {number} if you need it") == [("ni_number", number)]
