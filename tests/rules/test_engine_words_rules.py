"""Words rules: a list of words and phrases, matched through disguises, spans in the original."""

from __future__ import annotations

from typing import Any

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset, validate_rule


def spans(text: str, words: list[str], **params: Any) -> list[str]:
    rule = RuleSpec(
        key="custom.words",
        name="Custom words",
        category="abuse",
        severity=2,
        outcome="review",
        kind="words",
        params={"words": words, **params},
    )
    matches = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate(text)
    return [text[start:end] for match in matches for start, end in match.spans]


def test_a_word_matches_whole_words_only_by_default() -> None:
    assert spans("a twit and a twitter user", ["twit"]) == ["twit"]


def test_a_word_can_match_inside_words_when_whole_word_is_off() -> None:
    assert spans("what a scumbag", ["scum"], whole_word=False) == ["scum"]


def test_a_trailing_wildcard_matches_the_rest_of_the_word() -> None:
    assert spans("scumbags and scum", ["scum*"]) == ["scumbags", "scum"]


def test_a_leading_wildcard_matches_the_start_of_the_word() -> None:
    assert spans("what an arsehole", ["*hole"]) == ["arsehole"]


def test_a_phrase_matches_across_any_short_spacing() -> None:
    assert spans("a total waste  of\nspace", ["waste of space"]) == ["waste  of\nspace"]


@pytest.mark.parametrize(
    "disguised",
    ["sh1t", "SH!T", "s h i t", "sh\u200bit", "ｓｈｉｔ", "shiiiit", "sh*t", "$hit"],
)
def test_a_disguised_word_is_found_and_its_original_span_reported(disguised: str) -> None:
    assert spans(f"this is {disguised} today", ["shit"]) == [disguised]


def test_an_entry_written_in_leetspeak_matches_the_plain_word() -> None:
    assert spans("what a bitch", ["b1tch"]) == ["bitch"]


def test_entries_are_case_insensitive() -> None:
    assert spans("IDIOT", ["Idiot"]) == ["IDIOT"]


def test_a_validated_list_reports_nothing_wrong() -> None:
    assert validate_rule("words", {"words": ["idiot", "scum*"], "whole_word": True}) == []


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({}, "non-empty list"),
        ({"words": []}, "non-empty list"),
        ({"words": ["ok", ""]}, "empty"),
        ({"words": ["*"]}, "no letters"),
        ({"words": [3]}, "not text"),
        ({"words": ["ok"], "whole_word": "yes"}, "true or false"),
        ({"words": ["ok"], "wholeword": True}, "unknown parameter"),
    ],
)
def test_bad_word_lists_are_refused_with_a_reason(params: dict[str, Any], problem: str) -> None:
    problems = validate_rule("words", params)
    assert any(problem in message for message in problems), problems
