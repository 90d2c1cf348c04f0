"""Many residents posting the same message is a campaign: flagged once as spam.campaign for
review, never hidden; one person repeating themselves is still spam."""

from __future__ import annotations

from rules.engine import RepetitionTracker, compile_ruleset, default_ruleset_spec
from rules.engine.precision import gate_auto_hide
from rules.training.evaluate import rules_only_spec

RULES = compile_ruleset(rules_only_spec({}))
MESSAGE = "Save Hadleigh library! Our children need it, do not close it, sign the petition now"


def run(posts: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    tracker = RepetitionTracker()
    verdicts = []
    for author, text in posts:
        context = tracker.context_for(text, author)
        verdicts.append([(m.rule_key, m.outcome) for m in RULES.evaluate(text, context)])
        tracker.remember(text, author)
    return verdicts


def test_the_same_post_by_a_second_resident_is_a_campaign_for_review() -> None:
    first, second, third = run([("amy", MESSAGE), ("bob", MESSAGE), ("cat", MESSAGE + "!!")])
    assert first == []
    assert second == [("spam.campaign", "review")]
    assert third == [("spam.campaign", "review")]


def test_a_campaign_is_never_hidden() -> None:
    for verdict in run([("amy", MESSAGE), ("bob", MESSAGE)]):
        assert all(outcome not in ("hold", "auto_hide") for _, outcome in verdict)


def test_one_author_repeating_a_message_is_spam() -> None:
    _, again = run([("amy", MESSAGE), ("amy", MESSAGE)])
    # Hidden without a person only while its validation precision is proven (precision.py).
    [rule] = [r for r in default_ruleset_spec().rules if r.key == "spam.repetition"]
    assert ("spam.repetition", gate_auto_hide(rule).outcome) in again


def test_the_default_rule_set_has_the_campaign_rule_for_review() -> None:
    [rule] = [r for r in default_ruleset_spec().rules if r.key == "spam.campaign"]
    assert (rule.category, rule.outcome) == ("spam", "review")
