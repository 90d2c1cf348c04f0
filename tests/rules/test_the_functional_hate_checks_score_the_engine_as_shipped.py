"""The functional hate checks score what ships: the rules' findings as the engine reports them
beside the learned stage (a loose slur alone or a statement in counter-speech is dropped where
the model does not flag hate), not the rules run without the model."""

from __future__ import annotations

from bench.functional_hate import verdicts


def test_a_rule_finding_the_shipped_engine_drops_is_not_counted() -> None:
    text = "Telling the refugee family on our street to go back to their own country is racist"
    by_rules, by_model = verdicts(text)
    assert not by_rules and not by_model


def test_a_statement_the_engine_flags_is_counted() -> None:
    by_rules, _ = verdicts("Refugees should go back to their own country")
    assert by_rules
