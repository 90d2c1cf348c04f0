"""Which rule findings count only with the learned model's agreement ("needs_model"), and which
do not count when the comment reports or quotes them ("skip_reported"), is part of a rule's
spec, not of its key: the default rules carry them, and an admin's own rule can too."""

from __future__ import annotations

import dataclasses

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec, validate_rule
from rules.engine.defaults import pre_election_ruleset_spec
from rules.engine.types import RuleSpec

SHIPPED = default_ruleset_spec()


def with_rule(**params: object) -> set[str]:
    """The rule keys the shipped rules and one admin's words rule find in a text."""
    rule = RuleSpec(
        key="local.bananas",
        name="Bananas",
        category="hate",
        severity=3,
        outcome="review",
        kind="words",
        params={"words": ["bananas"], **params},
    )
    spec = dataclasses.replace(SHIPPED, rules=(*SHIPPED.rules, rule))
    return {m.rule_key for m in compile_ruleset(spec).evaluate("I like bananas on toast")}


def test_an_admins_rule_that_needs_the_model_counts_only_when_the_model_agrees() -> None:
    assert "local.bananas" in with_rule()
    assert "local.bananas" not in with_rule(needs_model=True)


def test_an_admins_abuse_rule_can_leave_abuse_a_resident_reports() -> None:
    rule = RuleSpec(
        key="local.plonker",
        name="Plonker",
        category="abuse",
        severity=2,
        outcome="hold",
        kind="words",
        params={"words": ["plonker"]},
    )
    reported = 'Someone wrote "plonker" on the bus shelter, please clean it'

    def found(**params: object) -> bool:
        changed = dataclasses.replace(rule, params={**rule.params, **params})
        spec = dataclasses.replace(SHIPPED, rules=(*SHIPPED.rules, changed))
        return any(m.rule_key == "local.plonker" for m in compile_ruleset(spec).evaluate(reported))

    assert found()
    assert not found(skip_reported=True)


@pytest.mark.parametrize("spec", [SHIPPED, pre_election_ruleset_spec()], ids=["default", "pre"])
def test_the_default_rules_carry_the_options_their_keys_used_to_imply(spec) -> None:
    options = {
        r.key: {k for k in ("needs_model", "skip_reported") if r.params.get(k)} for r in spec.rules
    }
    assert options.pop("political.party_promotion") == {"needs_model"}
    assert options.pop("hate.protected_characteristics") == {"needs_model"}
    assert options.pop("abuse.profanity", {"skip_reported"}) == {"skip_reported"}
    assert options.pop("abuse.insults", {"skip_reported"}) == {"skip_reported"}
    assert all(not chosen for chosen in options.values()), options


@pytest.mark.parametrize("kind", ["words", "detector"])
def test_the_options_must_be_true_or_false(kind: str) -> None:
    params = {"words": ["x"]} if kind == "words" else {"detector": "profanity"}
    assert validate_rule(kind, {**params, "needs_model": True, "skip_reported": False}) == []
    assert validate_rule(kind, {**params, "needs_model": "yes"}) == [
        "needs_model: must be true or false"
    ]
