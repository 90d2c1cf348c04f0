"""The personal-data tests read the rules' finding as the words it covers, through one shared
helper (``tests.rules.personal_data``), not a copy of it in each test file."""

from __future__ import annotations

from tests.rules.personal_data import personal_data


def test_a_private_phone_number_comes_back_as_the_words_matched() -> None:
    assert personal_data("My neighbour's mobile is 07700 900123, ring him") == ["07700 900123"]


def test_a_comment_without_personal_data_comes_back_empty() -> None:
    assert personal_data("The bins were not collected on Tuesday") == []
