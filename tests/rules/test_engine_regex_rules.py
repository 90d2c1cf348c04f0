"""Regex rules: admins' patterns run in linear time (RE2), and risky ones are refused."""

from __future__ import annotations

from typing import Any

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset, validate_rule


def found(text: str, **params: Any) -> list[str]:
    rule = RuleSpec(
        key="custom.pattern",
        name="Custom pattern",
        category="misleading",
        severity=2,
        outcome="review",
        kind="regex",
        params=params,
    )
    matches = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate(text)
    return [text[start:end] for match in matches for start, end in match.spans]


def test_a_pattern_matches_the_folded_text_case_insensitively() -> None:
    assert found("Ref REF-123 and ref-456", pattern=r"ref-\d+") == ["REF-123", "ref-456"]


def test_a_pattern_sees_through_invisible_characters() -> None:
    assert found("ref\u200b-123", pattern=r"ref-\d+") == ["ref\u200b-123"]


def test_a_pattern_can_run_on_the_original_text_case_sensitively() -> None:
    assert found("REF-1 ref-2", pattern=r"REF-\d", view="original") == ["REF-1"]


def test_a_pattern_with_flags_is_accepted() -> None:
    assert validate_rule("regex", {"pattern": "^hello$", "flags": "im"}) == []


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"pattern": "(unclosed"}, "not a valid RE2"),
        ({"pattern": r"(a)\1"}, "not a valid RE2"),
        ({"pattern": "(?=lookahead)"}, "not a valid RE2"),
        ({"pattern": "(a+)+$"}, "repeated group contains a repeat"),
        ({"pattern": r"(\w+\s?)*end"}, "repeated group contains a repeat"),
        ({"pattern": "(x{2,})+"}, "repeated group contains a repeat"),
        ({"pattern": "x*"}, "matches empty text"),
        ({"pattern": ""}, "non-empty"),
        ({"pattern": "a" * 3000}, "at most"),
        ({"pattern": "ok", "flags": "q"}, "flags"),
        ({"pattern": "ok", "view": "raw"}, "view"),
        ({"pattern": "ok", "extra": 1}, "unknown parameter"),
    ],
)
def test_risky_or_invalid_patterns_are_refused(params: dict[str, Any], problem: str) -> None:
    problems = validate_rule("regex", params)
    assert any(problem in message for message in problems), problems


@pytest.mark.parametrize("pattern", [r"(ab)+", r"(a|b)+c", r"[(a+)+]x", r"\(a+\)+", r"(a?)+b"])
def test_patterns_without_nested_repeats_are_accepted(pattern: str) -> None:
    assert validate_rule("regex", {"pattern": pattern}) == []


def test_a_backtracking_trap_on_a_megabyte_comment_is_matched_by_re2() -> None:
    # "(a|aa)*b" is exponential in backtracking engines; RE2 matches it in one pass.
    text = "a" * 1_000_000
    assert found(text, pattern="(a|aa)*b") == []
