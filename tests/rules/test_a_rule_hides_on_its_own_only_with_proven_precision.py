"""A rule keeps auto_hide only while its validation precision is recorded at 0.95 or more and it
is still the rule that was measured; anything else asking to hide goes to review, saying why."""

from __future__ import annotations

import dataclasses

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset
from rules.engine import precision as precision_module
from rules.engine.precision import fingerprint, gate_auto_hide

BANANAS = RuleSpec(
    key="fruit.bananas",
    name="Bananas",
    category="spam",
    severity=2,
    outcome="auto_hide",
    kind="words",
    params={"words": ["bananas"]},
)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, object]]:
    table: dict[str, dict[str, object]] = {}
    monkeypatch.setattr(precision_module, "recorded", lambda: table)
    return table


def _outcome(rule: RuleSpec) -> str:
    [match] = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate("I like bananas")
    return match.outcome


def test_an_unmeasured_rule_asking_to_hide_goes_to_review_and_says_why(recorded) -> None:
    [match] = compile_ruleset(RuleSetSpec("test", 1, (BANANAS,))).evaluate("I like bananas")

    assert match.outcome == "review"
    assert "not measured" in gate_auto_hide(BANANAS).explanation


def test_a_rule_measured_at_095_or_more_keeps_auto_hide(recorded) -> None:
    recorded["fruit.bananas"] = {"precision": 0.97, "fingerprint": fingerprint(BANANAS)}
    assert _outcome(BANANAS) == "auto_hide"


def test_a_rule_measured_below_095_goes_to_review(recorded) -> None:
    recorded["fruit.bananas"] = {"precision": 0.9, "fingerprint": fingerprint(BANANAS)}
    assert _outcome(BANANAS) == "review"
    assert "0.90" in gate_auto_hide(BANANAS).explanation


def test_an_edited_rule_loses_the_precision_measured_for_the_old_one(recorded) -> None:
    recorded["fruit.bananas"] = {"precision": 0.99, "fingerprint": fingerprint(BANANAS)}
    edited = dataclasses.replace(BANANAS, params={"words": ["bananas", "apples"]})
    assert _outcome(edited) == "review"
    renamed = dataclasses.replace(BANANAS, name="Banana talk")  # wording does not count
    assert _outcome(renamed) == "auto_hide"


def test_other_outcomes_are_untouched(recorded) -> None:
    for outcome in ("review", "hold"):
        assert _outcome(dataclasses.replace(BANANAS, outcome=outcome)) == outcome
