"""The organisation's own account, answering many residents in the same words, is never
repetition or a flood, while a resident repeating themselves or flooding still is; a lure posted
again with a malicious link is malicious_link, not spam as well."""

from __future__ import annotations

from rules.engine import CompiledRuleSet, RepetitionTracker, compile_ruleset, default_ruleset_spec
from rules.engine.types import Context
from rules.training.evaluate import rules_only_spec

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@ExampleshireCC"],
    "own_domains": ["exampleshire.gov.uk"],
}
SHIPPED = compile_ruleset(default_ruleset_spec(SETTINGS))
RULES_ONLY = compile_ruleset(rules_only_spec(SETTINGS))
REPLY = "Sorry to hear this, please DM us your address and we will look into it today."


def spam_rules(compiled: CompiledRuleSet, posts: list[tuple[str, str]]) -> list[set[str]]:
    tracker = RepetitionTracker()
    found = []
    for author, text in posts:
        context = tracker.context_for(text, author)
        found.append({m.rule_key for m in compiled.evaluate(text, context) if m.category == "spam"})
        tracker.remember(text, author)
    return found


def test_the_organisations_own_replies_are_not_repetition_or_a_flood() -> None:
    posts = [("ExampleshireCC", REPLY)] * 7
    assert spam_rules(RULES_ONLY, posts) == [set()] * 7
    named = [("Exampleshire County Council", REPLY)] * 7
    assert spam_rules(RULES_ONLY, named) == [set()] * 7


def test_a_resident_repeating_a_message_is_still_spam() -> None:
    posts = [("Exampleshire Residents", REPLY)] * 2
    assert spam_rules(RULES_ONLY, posts)[1] == {"spam.repetition"}


def test_a_flood_from_a_resident_is_still_a_flood() -> None:
    context = Context(author_handle="dave", author_recent_count=9)
    found = {m.rule_key for m in RULES_ONLY.evaluate("another one for you", context)}
    assert "spam.flood" in found


def test_a_lure_posted_again_with_a_malicious_link_is_not_spam_as_well() -> None:
    lure = "Council tax rebate: Band A-C homes are owed £275, claim at exampleshire-rebate.uk now"
    posts = [("Rebates", lure), ("Rebates", lure + "!")]
    again = RULES_ONLY.evaluate(
        posts[1][1], Context(author_handle="Rebates", author_recent_texts=(lure,))
    )
    categories = {m.category for m in again}
    assert "malicious_link" in categories
    assert "spam" not in categories
