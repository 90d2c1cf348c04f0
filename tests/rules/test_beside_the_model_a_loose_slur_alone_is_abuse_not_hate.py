"""Beside the learned stage, a hate finding that rests only on a slur mostly used without hate
(in-group "nigga", "retard" thrown as an insult) needs the model to agree: the comment is still
abusive language. Every other slur, and what is said of a group, stays hate; without the learned
stage the rule decides alone."""

from __future__ import annotations

import pytest

from rules.engine import CompiledRuleSet, compile_ruleset, default_ruleset_spec
from rules.engine.detectors.hate import only_loose_slurs
from rules.training.evaluate import rules_only_spec

SHIPPED = compile_ruleset(default_ruleset_spec())
RULES_ONLY = compile_ruleset(rules_only_spec({}))


def categories(compiled: CompiledRuleSet, text: str) -> set[str]:
    return {match.category for match in compiled.evaluate(text)}


LOOSE = (
    "lmao my niggas be wildin at the bus stop again",
    "that retarded parking scheme again",
)


@pytest.mark.parametrize("text", LOOSE)
def test_a_loose_slur_alone_is_abuse_not_hate_beside_the_model(text: str) -> None:
    assert "hate" in categories(RULES_ONLY, text)
    assert categories(SHIPPED, text) >= {"abuse"}
    assert "hate" not in categories(SHIPPED, text)


@pytest.mark.parametrize(
    "text",
    ["kikes run the council", "get these pakis out", "Retards and Romanians are vermin"],
)
def test_other_slurs_and_statements_about_groups_stay_hate(text: str) -> None:
    assert "hate" in categories(SHIPPED, text)


def test_only_spans_that_are_loose_slurs_count() -> None:
    text = "what a r3tard, and the kikes too"
    assert only_loose_slurs(text, [(7, 13)])
    assert not only_loose_slurs(text, [(7, 13), (23, 28)])
    assert not only_loose_slurs(text, [])
