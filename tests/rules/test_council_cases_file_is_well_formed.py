"""The hand-written council cases for the benchmarks are well formed.

``bench/data/council_cases.jsonl`` is labelled by hand, and ``bench/data/README.md`` holds the
organisation settings the labels assume. These checks keep the two consistent: known category
names only, enough cases of each kind, spam runs kept together, staff criticism naming someone on
the staff list, impersonation judged on an author that is not the council's own, and fake
personal data that passes the check digits the detectors verify. Plain JSON only: no Django.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES_PATH = ROOT / "bench" / "data" / "council_cases.jsonl"
README_PATH = ROOT / "bench" / "data" / "README.md"
DEMO_PATH = ROOT / "moderation" / "demo" / "content.json"

MINIMUM_PER_CATEGORY = {
    "abuse": 30,
    "harassment": 25,
    "hate": 6,
    "personal_data": 40,
    "spam": 25,
    "malicious_link": 6,
    "political": 30,
    "staff_criticism": 25,
    "foi_request": 30,
    "subject_access_request": 20,
    "complaint": 30,
    "impersonation": 10,
    "off_topic": 3,
    "misleading": 3,
    "copyright": 0,
}
ID_PATTERN = re.compile(r"cc-\d{4}")
NEAR_DUPLICATE = 0.7


@cache
def cases() -> list[dict[str, Any]]:
    with CASES_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def organisation() -> dict[str, Any]:
    readme = README_PATH.read_text(encoding="utf-8")
    block = re.search(r"```json\n(\{.*?\})\n```", readme[readme.index("## Organisation") :], re.S)
    assert block is not None, "the README has no organisation settings block"
    settings: dict[str, Any] = json.loads(block.group(1))
    return settings


def normalised(text: str) -> str:
    return " ".join(re.sub(r"\W+", " ", text.casefold()).split())


def similar(first: str, second: str) -> bool:
    ratio = difflib.SequenceMatcher(None, first.casefold(), second.casefold()).ratio()
    return ratio >= NEAR_DUPLICATE


def texts_with(category: str) -> list[str]:
    return [case["text"] for case in cases() if category in case["categories"]]


def every_text() -> list[str]:
    return [case["text"] for case in cases()]


def digits_matching(pattern: re.Pattern[str]) -> list[str]:
    """The digits of every match of ``pattern`` in every text, separators dropped."""
    return [re.sub(r"\D", "", m.group()) for text in every_text() for m in pattern.finditer(text)]


def passes_luhn(number: str) -> bool:
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(number)):
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def passes_nhs_modulus_11(number: str) -> bool:
    weighted = sum(int(d) * weight for d, weight in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - weighted % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


def passes_iban_mod_97(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


NHS_NUMBER = re.compile(r"(?<!\d)(\d{3}) (\d{3}) (\d{4})(?!\d)")
CARD_NUMBER = re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{4}(?!\d)|(?<!\d)3[47]\d{2} \d{6} \d{5}(?!\d)")
IBAN = re.compile(r"\bGB\d{2}(?: ?[A-Z]{4})(?: ?\d){14}\b")
UK_MOBILE = re.compile(r"(?<!\d)(?:07|\+44 ?7)\d{3} ?\d{3} ?\d{3}(?!\d)")


# --- shape --------------------------------------------------------------------------------------


def test_there_are_at_least_four_hundred_cases() -> None:
    assert len(cases()) >= 400


def test_every_case_has_exactly_an_id_a_text_an_author_and_categories() -> None:
    for case in cases():
        assert set(case) == {"id", "text", "author", "categories"}, case
        assert isinstance(case["text"], str) and case["text"].strip()
        assert isinstance(case["author"], str)
        assert isinstance(case["categories"], list)


def test_ids_are_unique_and_numbered_in_file_order() -> None:
    ids = [case["id"] for case in cases()]
    assert all(ID_PATTERN.fullmatch(case_id) for case_id in ids)
    assert ids == [f"cc-{number:04d}" for number in range(1, len(ids) + 1)]


def test_every_category_is_one_the_engine_uses_and_none_is_repeated() -> None:
    for case in cases():
        assert set(case["categories"]) <= set(MINIMUM_PER_CATEGORY), case["id"]
        assert len(case["categories"]) == len(set(case["categories"])), case["id"]


# --- balance ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("category", "minimum"), sorted(MINIMUM_PER_CATEGORY.items()))
def test_each_category_has_enough_cases(category: str, minimum: int) -> None:
    assert len(texts_with(category)) >= minimum


def test_about_four_in_ten_cases_are_clean() -> None:
    clean = sum(not case["categories"] for case in cases())
    assert 0.35 <= clean / len(cases()) <= 0.45


def test_no_sentence_is_shared_with_the_demo_content() -> None:
    demo = json.loads(DEMO_PATH.read_text(encoding="utf-8"))
    demo_texts = {normalised(comment["text"]) for comment in demo["comments"]}
    assert not demo_texts & {normalised(text) for text in every_text()}


def test_only_spam_repeats_an_earlier_line() -> None:
    seen: set[str] = set()
    for case in cases():
        text = normalised(case["text"])
        if text in seen:
            assert "spam" in case["categories"], case["id"]
        seen.add(text)


# --- the labels agree with the organisation settings ---------------------------------------------


def test_the_readme_gives_the_organisation_settings_as_json() -> None:
    settings = organisation()
    assert {"name", "handles", "own_contacts", "staff_names", "candidates"} <= set(settings)
    assert 8 <= len(settings["staff_names"]) <= 10


def test_every_staff_criticism_names_someone_on_the_staff_list() -> None:
    surnames = [name.split()[-1].casefold() for name in organisation()["staff_names"]]
    for text in texts_with("staff_criticism"):
        assert any(surname in text.casefold() for surname in surnames), text


def test_every_impersonation_comes_from_an_author_who_is_not_the_council() -> None:
    own_handles = {handle.lstrip("@").casefold() for handle in organisation()["handles"]}
    for case in cases():
        if "impersonation" in case["categories"]:
            assert case["author"], case["id"]
            assert case["author"].lstrip("@").casefold() not in own_handles, case["id"]


def test_comments_by_the_council_itself_are_never_flagged() -> None:
    own_handles = {handle.lstrip("@").casefold() for handle in organisation()["handles"]}
    for case in cases():
        if case["author"].casefold() in own_handles:
            assert case["categories"] == [], case["id"]


def test_most_spam_repeats_a_neighbouring_line_with_small_edits() -> None:
    rows = cases()
    repeats = 0
    for index, case in enumerate(rows):
        if "spam" not in case["categories"]:
            continue
        neighbours = [rows[i]["text"] for i in (index - 1, index + 1) if 0 <= i < len(rows)]
        repeats += any(similar(case["text"], neighbour) for neighbour in neighbours)
    assert repeats >= 25


# --- fake personal data is well formed ----------------------------------------------------------


def test_every_nhs_shaped_number_passes_the_modulus_11_check() -> None:
    numbers = ["".join(m.groups()) for text in every_text() for m in NHS_NUMBER.finditer(text)]
    assert len(numbers) >= 4
    assert all(passes_nhs_modulus_11(number) for number in numbers), numbers


def test_every_card_number_passes_the_luhn_check() -> None:
    cards = digits_matching(CARD_NUMBER)
    assert len(cards) >= 4
    assert all(passes_luhn(card) for card in cards), cards


def test_every_iban_passes_the_mod_97_check() -> None:
    ibans = [m.group().replace(" ", "") for text in every_text() for m in IBAN.finditer(text)]
    assert len(ibans) >= 2
    assert all(passes_iban_mod_97(iban) for iban in ibans), ibans


def test_every_mobile_number_is_in_ofcoms_drama_range() -> None:
    mobiles = digits_matching(UK_MOBILE)
    national = [f"0{mobile[2:]}" if mobile.startswith("44") else mobile for mobile in mobiles]
    assert len(national) >= 5
    assert all(mobile.startswith("07700900") for mobile in national), national


def test_the_evasions_a_word_filter_misses_are_in_the_abuse_cases() -> None:
    abuse = "".join(texts_with("abuse"))
    for disguise in ("\u200b", "\u00ad", "ｆ", "\u03c5", "\u0455", "*", "@", "0"):
        assert disguise in abuse, disguise
