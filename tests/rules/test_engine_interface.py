"""The engine's fixed interface: rule sets compile once and evaluate texts into matches."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rules.engine import (
    CATEGORIES,
    OUTCOMES,
    ROUTES,
    RULE_KINDS,
    Context,
    Match,
    RuleError,
    RuleSetSpec,
    RuleSpec,
    compile_ruleset,
)


def words_rule(key: str, words: list[str], **fields: Any) -> RuleSpec:
    values: dict[str, Any] = {
        "key": key,
        "name": key.title(),
        "category": "abuse",
        "severity": 3,
        "outcome": "hold",
        "kind": "words",
        "params": {"words": words},
    }
    values.update(fields)
    return RuleSpec(**values)


def evaluate(text: str, *rules: RuleSpec, version: int = 7) -> list[Match]:
    return compile_ruleset(RuleSetSpec("test", version, rules)).evaluate(text)


def test_the_vocabularies_are_the_designs_names() -> None:
    assert "staff_criticism" in CATEGORIES and "subject_access_request" in CATEGORIES
    assert OUTCOMES == ("review", "hold", "auto_hide", "escalate", "route", "none")
    assert "safeguarding" in ROUTES and "foi" in ROUTES
    assert RULE_KINDS == ("words", "regex", "detector")


def test_an_empty_rule_set_matches_nothing() -> None:
    assert compile_ruleset(RuleSetSpec("empty", 1, ())).evaluate("anything at all") == []


def test_a_match_carries_the_rule_its_version_category_and_spans() -> None:
    [match] = evaluate(
        "you are a scumbag", words_rule("abuse.scum", ["scum*"], rule_id=42, route="")
    )
    assert (match.rule_key, match.rule_id, match.ruleset_version) == ("abuse.scum", 42, 7)
    assert (match.category, match.severity, match.outcome) == ("abuse", 3, "hold")
    assert match.spans == ((10, 17),)
    assert '"scumbag"' in match.explanation


def test_a_rule_reports_one_match_with_all_its_spans_merged_and_sorted() -> None:
    [match] = evaluate("idiot, idiot and IDIOT", words_rule("abuse.idiot", ["idiot"]))
    assert match.spans == ((0, 5), (7, 12), (17, 22))
    assert match.explanation.endswith("and 2 more (word list)")


def test_matches_are_ordered_most_severe_first() -> None:
    matches = evaluate(
        "mild and awful",
        words_rule("a.mild", ["mild"], severity=1),
        words_rule("b.awful", ["awful"], severity=5),
    )
    assert [match.rule_key for match in matches] == ["b.awful", "a.mild"]


def test_a_disabled_rule_compiles_but_never_matches() -> None:
    rule = words_rule("abuse.off", ["idiot"], enabled=False)
    assert evaluate("idiot", rule) == []


def test_a_rule_with_outcome_none_still_reports_its_matches() -> None:
    [match] = evaluate("idiot", words_rule("abuse.shadow", ["idiot"], outcome="none"))
    assert match.outcome == "none"


def test_matches_and_specs_are_immutable() -> None:
    [match] = evaluate("idiot", words_rule("abuse.idiot", ["idiot"]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.severity = 1  # type: ignore[misc]


def test_a_bad_rule_is_refused_with_its_key_in_the_message() -> None:
    bad = words_rule("abuse.broken", [], name="Broken list")
    with pytest.raises(RuleError, match=r"abuse\.broken.*Broken list.*words"):
        compile_ruleset(RuleSetSpec("test", 1, (bad,)))


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"category": "rudeness"}, "category"),
        ({"outcome": "delete"}, "outcome"),
        ({"severity": 9}, "severity"),
        ({"outcome": "escalate"}, "route"),
        ({"outcome": "route", "route": "nowhere"}, "route"),
        ({"kind": "magic"}, "unknown rule kind"),
    ],
)
def test_invalid_rule_fields_are_refused(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(RuleError, match=problem):
        compile_ruleset(RuleSetSpec("test", 1, (words_rule("x.rule", ["idiot"], **fields),)))


def test_two_rules_with_the_same_key_are_refused() -> None:
    rules = (words_rule("abuse.same", ["a1"]), words_rule("abuse.same", ["b1"]))
    with pytest.raises(RuleError, match="same key"):
        compile_ruleset(RuleSetSpec("test", 1, rules))


def test_evaluate_accepts_no_context_and_an_empty_context_alike() -> None:
    compiled = compile_ruleset(RuleSetSpec("test", 1, (words_rule("a.b", ["idiot"]),)))
    assert compiled.evaluate("idiot") == compiled.evaluate("idiot", Context())


def test_a_compiled_rule_set_keeps_its_spec() -> None:
    spec = RuleSetSpec("test", 3, (words_rule("a.b", ["idiot"]),))
    assert compile_ruleset(spec).spec is spec
