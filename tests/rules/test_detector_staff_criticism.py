"""Staff criticism: negative comment about named staff, councillors or single post-holders."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from rules.engine import RuleSetSpec, compile_ruleset
from tests.rules.staff_rule import STAFF_RULE, staff_engine

SETTINGS = {"staff_names": ["Jane Smith", "Cllr Bob Jones"]}


def found(text: str, **params: Any) -> list[tuple[str, str]]:
    rule = replace(STAFF_RULE, params={**STAFF_RULE.params, **params})
    spec = RuleSetSpec("test", 1, (rule,), settings=SETTINGS)
    matches = compile_ruleset(spec).evaluate(text)
    return [(m.detector, text[s:e]) for m in matches for s, e in m.spans]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jane Smith is useless", "Jane Smith"),
        ("Mrs Smith should be sacked", "Mrs Smith"),
        ("Cllr Jones is a liar", "Cllr Jones"),
        ("Councillor Patel is totally incompetent", "Councillor Patel"),
        ("The clerk is a disgrace", "The clerk"),
    ],
)
def test_criticism_of_a_named_person_is_found(text: str, name: str) -> None:
    assert found(text) == [("named_person", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks to Jane Smith for sorting the bins",
        "Cllr Jones was brilliant, unlike the useless bus company",
        "Jane Smith opened the new library today",
        "The council's gritting is useless",
        "councillor patel is useless",
    ],
)
def test_thanks_neutral_mentions_and_unnamed_criticism_are_not_staff_criticism(
    text: str,
) -> None:
    assert found(text) == []


def test_sarcastic_thanks_with_a_negative_word_is_criticism() -> None:
    assert found("Thanks for nothing Jane Smith") == [("named_person", "Jane Smith")]


def test_criticism_of_staff_by_role_counts_only_when_roles_are_included() -> None:
    text = "The planning officers are incompetent"
    assert found(text) == []
    assert found(text, include_roles=True) == [("role_criticism", "planning officers")]


def test_a_capitalised_surname_alone_names_a_configured_person() -> None:
    assert found("Smith is a disgrace") == [("named_person", "Smith")]
    assert found("smith is a disgrace") == []


def test_a_surname_that_is_an_ordinary_word_at_the_start_of_a_sentence_names_nobody() -> None:
    compiled = staff_engine({"staff_names": ["Eleanor Price"]})
    assert compiled.evaluate("Price of parking is a disgrace") == []
    assert compiled.evaluate("Price is a disgrace and should resign") != []


def test_criticism_later_in_a_short_comment_counts() -> None:
    text = "Jane Smith promised the street would be swept. Nothing happened. She's a liar."
    assert found(text) == [("named_person", "Jane Smith")]


def test_reporting_abuse_aimed_at_a_person_is_not_criticising_them() -> None:
    assert found("Reported the comment calling Cllr Jones a liar, that's not acceptable") == []
