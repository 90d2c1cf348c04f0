"""Beside the learned stage, the default political rule's reading of a named party or
candidate as promotion needs the model to agree: a candidate met at a market is not party
politics, "vote for her on Thursday" is. Without the learned stage the rule decides alone."""

from __future__ import annotations

from rules.engine import CompiledRuleSet, compile_ruleset, default_ruleset_spec
from rules.training.evaluate import rules_only_spec

SETTINGS = {
    "own_names": ["Exampleshire County Council"],
    "candidates": ["Owen Bickford", "Priya Madeley"],
}
SHIPPED = compile_ruleset(default_ruleset_spec(SETTINGS))
RULES_ONLY = compile_ruleset(rules_only_spec(SETTINGS))


def political(compiled: CompiledRuleSet, text: str) -> bool:
    return any(match.category == "political" for match in compiled.evaluate(text))


PASSING = (
    "Bumped into Owen Bickford at the Christmas market handing out mince pies. "
    "Did not ask for my vote, fair play to him"
)


def test_a_candidate_named_in_passing_is_not_party_politics_beside_the_model() -> None:
    assert political(RULES_ONLY, PASSING)  # the rule alone reads "vote" near a candidate
    assert not political(SHIPPED, PASSING)


def test_asking_people_to_vote_for_a_candidate_is_party_politics() -> None:
    assert political(SHIPPED, "Vote Owen Bickford on Thursday, the only one who'll save the pool!")


def test_without_the_learned_stage_the_rule_still_flags_promotion() -> None:
    assert political(RULES_ONLY, "Owen Bickford will fight for Netherbury, back him on Thursday")


def test_with_the_models_political_flags_disabled_the_rule_decides_alone() -> None:
    disabled = compile_ruleset(
        default_ruleset_spec({**SETTINGS, "model": {"enabled": True, "disabled": ["political"]}})
    )
    assert political(disabled, PASSING)
