"""Many residents posting the same message is a campaign: found by spam.campaign, a signal for
review (never hidden, and not the spam category); one person repeating themselves is spam."""

from __future__ import annotations

from rules.engine import (
    RepetitionTracker,
    RuleSetSpec,
    RuleSpec,
    compile_ruleset,
    default_ruleset_spec,
)
from rules.engine.precision import gate_auto_hide
from rules.engine.types import CAMPAIGN, categories_of
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


def test_a_campaign_copy_is_a_signal_for_review_not_a_spam_flag() -> None:
    tracker = RepetitionTracker()
    tracker.remember(MESSAGE, "amy")
    matches = RULES.evaluate(MESSAGE, tracker.context_for(MESSAGE, "bob"))

    [match] = matches
    assert (match.signal, match.outcome) == (CAMPAIGN, "review")
    assert categories_of(matches) == set()


def test_a_spam_rule_an_admin_names_as_a_campaign_is_a_campaign_signal_never_hidden() -> None:
    rule = RuleSpec(
        key="local.petition.campaign",
        name="Petitions copied by residents",
        category="spam",
        severity=2,
        outcome="hold",
        kind="detector",
        params={"detector": "spam", "checks": ["campaign"]},
    )
    compiled = compile_ruleset(RuleSetSpec(name="admin's", version=3, rules=(rule,)))
    tracker = RepetitionTracker()
    tracker.remember(MESSAGE, "amy")

    [match] = compiled.evaluate(MESSAGE, tracker.context_for(MESSAGE, "bob"))

    assert match.signal == CAMPAIGN and match.category == ""
    assert match.outcome == "review"


def test_one_author_repeating_a_message_is_still_a_spam_flag() -> None:
    tracker = RepetitionTracker()
    tracker.remember(MESSAGE, "amy")
    matches = RULES.evaluate(MESSAGE, tracker.context_for(MESSAGE, "amy"))
    assert categories_of(matches) == {"spam"}
