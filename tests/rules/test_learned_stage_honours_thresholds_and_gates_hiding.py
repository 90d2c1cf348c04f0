"""The learned stage flags at the rule set's thresholds, routes or reviews by category, and lets
a model flag hide a comment only where cross-validation showed precision of at least 0.95."""

from __future__ import annotations

from typing import Any

from rules.engine.document import Document
from rules.engine.learned.stage import LearnedStage, validate_model_settings
from tests.rules.learned_fixtures import tiny_model


def stage(**block: Any) -> LearnedStage:
    return LearnedStage(tiny_model(), {"model": {"enabled": True, **block}})


def categories(found: LearnedStage, text: str) -> list[str]:
    return [match.category for match in found.matches(Document(text), 3)]


def test_a_score_at_or_above_the_threshold_flags_and_below_does_not() -> None:
    assert categories(stage(), "you useless numpty") == ["abuse"]
    assert categories(stage(), "a bit useless") == []
    assert categories(stage(thresholds={"abuse": 0.999}), "you useless numpty") == []


def test_a_model_match_says_it_came_from_the_model_with_its_score() -> None:
    [match] = stage().matches(Document("you useless numpty"), 3)
    assert match.rule_key == "model.abuse"
    assert match.detector == "model"
    assert match.rule_id is None and match.ruleset_version == 3
    assert match.score is not None and 0.8 <= match.score <= 1.0
    assert "numpty" in match.terms
    assert "score" in match.explanation


def test_a_disabled_category_never_flags() -> None:
    assert categories(stage(disabled=["abuse"]), "you useless numpty") == []


def test_routing_categories_are_routed_and_others_reviewed() -> None:
    [foi] = stage().matches(Document("please send the spending figures"), 1)
    assert (foi.outcome, foi.route) == ("route", "foi")
    [abuse] = stage().matches(Document("you useless numpty"), 1)
    assert (abuse.outcome, abuse.route) == ("review", "")


def test_hiding_is_allowed_only_where_out_of_fold_precision_reached_095() -> None:
    asked = stage(outcomes={"abuse": "hold", "foi_request": "auto_hide"})
    assert asked.outcomes["abuse"] == ("hold", "")  # out-of-fold precision 0.97
    assert asked.outcomes["foi_request"] == ("review", "")  # 0.90: review instead


def test_a_threshold_below_the_validated_one_cannot_hide() -> None:
    asked = stage(outcomes={"abuse": "hold"}, thresholds={"abuse": 0.3})
    assert asked.outcomes["abuse"] == ("review", "")


def test_bad_settings_are_named_and_ignored_at_run_time() -> None:
    settings = {"model": {"enabled": True, "thresholds": {"abuse": 7}, "colour": "red"}}
    problems = validate_model_settings(settings, tiny_model())
    assert any("colour" in p for p in problems)
    assert any("model.thresholds.abuse" in p for p in problems)
    assert LearnedStage(tiny_model(), settings).thresholds["abuse"] == 0.8


def test_no_model_block_is_valid() -> None:
    assert validate_model_settings({}) == []
