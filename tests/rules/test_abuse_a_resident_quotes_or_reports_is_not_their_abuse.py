"""A swear word or insult the commenter quotes, reports or condemns is not their abuse: the
default abuse rules do not flag it (an admin's own word list still does), and the same words
used at someone still are."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset
from rules.training.evaluate import rules_only_spec

RULES = compile_ruleset(rules_only_spec({}))


def abuse_rules(text: str) -> list[str]:
    return [m.rule_key for m in RULES.evaluate(text) if m.category == "abuse"]


@pytest.mark.parametrize(
    "text",
    [
        'Someone wrote "useless c***s" on the bus shelter on Mill Lane, can it be cleaned off?',
        'Somebody has spray painted "p*kis out" on the underpass. Please get it removed.',
        "Reporting a comment further up where someone called Cllr Ross a 'useless hoor'.",
        'A man shouted "you useless fat cow" at the lass driving the bin wagon this morning.',
        '"Pakis" is a racist slur and that comment should be removed.',
    ],
)
def test_quoted_or_reported_abuse_is_not_flagged(text: str) -> None:
    assert abuse_rules(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "You useless fat cow, do your job",
        "Shut up you stupid cow",
        "The clerk is a useless c**t and everyone knows it",
        "what a load of shit, the bins are still not emptied",
    ],
)
def test_abuse_used_by_the_commenter_is_still_flagged(text: str) -> None:
    assert abuse_rules(text) != []


def test_an_admins_own_word_list_flags_the_word_however_it_is_posted() -> None:
    spec = RuleSetSpec(
        name="test",
        version=1,
        rules=(
            RuleSpec(
                key="custom.words",
                name="Our words",
                category="abuse",
                severity=3,
                outcome="review",
                kind="words",
                params={"words": ["hoor"]},
            ),
        ),
    )
    found = compile_ruleset(spec).evaluate("Someone called her a 'useless hoor'.")
    assert [m.rule_key for m in found] == ["custom.words"]


def test_a_slur_the_hate_rule_flags_is_hate_not_abuse_as_well() -> None:
    found = RULES.evaluate("Pikeys on the common again, get the dogs on them")
    assert {m.category for m in found} == {"hate"}


def test_swearing_beside_a_slur_is_still_abuse() -> None:
    found = RULES.evaluate("Pikeys on the common again, f*cking disgrace")
    assert {"hate", "abuse"} <= {m.category for m in found}
