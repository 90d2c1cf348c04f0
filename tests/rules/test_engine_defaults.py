"""The default rule set encodes the seeds' policy, and the pre-election one is stricter."""

from __future__ import annotations

from rules.engine import (
    CATEGORIES,
    Context,
    compile_ruleset,
    default_ruleset_spec,
    pre_election_ruleset_spec,
)

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@exampleshirecc"],
    "own_domains": ["exampleshire.gov.uk"],
    "staff_names": ["Jane Smith"],
    "candidates": ["Alice Brown"],
}
DEFAULT = compile_ruleset(default_ruleset_spec(SETTINGS))

EXPECTED_OUTCOMES = {
    "abuse": ("hold", ""),
    "harassment": ("escalate", "safeguarding"),
    "hate": ("escalate", "safeguarding"),
    "personal_data": ("hold", ""),
    "spam": ("auto_hide", ""),
    "malicious_link": ("hold", ""),
    "political": ("review", ""),
    "staff_criticism": ("review", ""),
    "foi_request": ("route", "foi"),
    "subject_access_request": ("route", "subject_access"),
    "complaint": ("route", "complaints"),
    "self_harm": ("escalate", "safeguarding"),
    "impersonation": ("review", ""),
}
# Rules whose outcome differs from their category's by design: a campaign (the same post by
# several people) is lawful and only reviewed; an allegation against a named person is held and
# passed to legal as possible defamation.
EXCEPTIONS = {
    "spam.campaign": ("review", ""),
    "staff_criticism.allegations": ("hold", "legal"),
}


def test_every_policy_category_has_a_rule_with_the_designs_outcome() -> None:
    rules = default_ruleset_spec().rules
    for category, outcome in EXPECTED_OUTCOMES.items():
        outcomes = {
            (rule.outcome, rule.route)
            for rule in rules
            if rule.category == category and rule.key not in EXCEPTIONS
        }
        assert outcomes == {outcome}, category
    for rule in rules:
        if rule.key in EXCEPTIONS:
            assert (rule.outcome, rule.route) == EXCEPTIONS[rule.key]


def test_rules_have_unique_stable_keys_named_after_their_category() -> None:
    keys = [rule.key for rule in default_ruleset_spec().rules]
    assert len(keys) == len(set(keys))
    for rule in default_ruleset_spec().rules:
        assert rule.category in CATEGORIES
        assert rule.key.split(".")[0] == rule.category
        assert rule.explanation


def test_the_default_rule_sets_keys_are_the_same_in_both_rule_sets() -> None:
    default_keys = [rule.key for rule in default_ruleset_spec().rules]
    assert [rule.key for rule in pre_election_ruleset_spec().rules] == default_keys


def test_settings_are_carried_into_the_spec() -> None:
    settings = default_ruleset_spec(SETTINGS).settings
    assert {key: settings[key] for key in SETTINGS} == SETTINGS


def test_the_default_rule_sets_switch_the_learned_stage_on() -> None:
    for spec in (default_ruleset_spec(), pre_election_ruleset_spec()):
        assert spec.settings["model"]["enabled"] is True
    off = default_ruleset_spec({"model": {"enabled": False}})
    assert compile_ruleset(off).learned is None


def test_a_clean_comment_matches_nothing() -> None:
    assert DEFAULT.evaluate("When is the library open on bank holidays? Thanks") == []


def test_one_comment_can_break_several_rules() -> None:
    text = "You f*cking idiot, I'll find you. Call 07700 900123"
    categories = {match.category for match in DEFAULT.evaluate(text)}
    assert {"abuse", "harassment", "personal_data"} <= categories


def test_a_clean_comment_from_a_look_alike_account_is_impersonation() -> None:
    [match] = DEFAULT.evaluate("Hello", Context(author_handle="@exampleshire_cc"))
    assert match.category == "impersonation"


def test_the_pre_election_rule_set_holds_any_party_mention() -> None:
    pre_election = compile_ruleset(pre_election_ruleset_spec(SETTINGS))
    text = "The Green Party candidate opened the fete"
    assert DEFAULT.evaluate(text) == []
    [match] = pre_election.evaluate(text)
    assert (match.category, match.outcome) == ("political", "hold")
