"""Insults: UK abuse missing from better-profanity, and everyday words aimed at someone."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset


def found(text: str) -> list[tuple[str, int, str]]:
    rule = RuleSpec(
        key="abuse.insults",
        name="Insults",
        category="abuse",
        severity=3,
        outcome="hold",
        kind="detector",
        params={"detector": "insults"},
    )
    matches = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate(text)
    return [(m.detector, m.severity, text[s:e]) for m in matches for s, e in m.spans]


@pytest.mark.parametrize("word", ["bollocks", "nonce", "scumbag", "wazzock", "gobshite"])
def test_strong_uk_insults_are_found_anywhere(word: str) -> None:
    [(label, severity, span)] = found(f"it is {word} this")
    assert (label, severity) == ("insult", 3)
    assert word in span


@pytest.mark.parametrize(
    "text",
    [
        "you muppet",
        "you absolute bloody muppet",
        "what a prat",
        "you're an idiot",
        "bunch of clowns",
        "the councillors are morons",
        "u r a numpty",
    ],
)
def test_everyday_insults_aimed_at_someone_are_found_one_step_lower(text: str) -> None:
    [(label, severity, _span)] = found(text)
    assert (label, severity) == ("directed_insult", 2)


@pytest.mark.parametrize(
    "text",
    [
        "The Muppets are on at the cinema",
        "A useful tool for reporting potholes",
        "The clown at the fete was brilliant",
        "Rats in the alley behind the shops",
        "An idiot-proof form would help",
        "What a lovely cow in the top field",
        "This is a tool for reporting potholes",
        "Is a liar allowed to stand for the council?",
        "Our bus from Bell End was late",
    ],
)
def test_everyday_words_not_aimed_at_anyone_are_not_insults(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    ["McAllister is a lying cow", "what a bunch of incompetent cretins", "Smith is an utter tool"],
)
def test_an_insult_about_any_named_person_is_found(text: str) -> None:
    assert found(text)[0][0] == "directed_insult"


def test_a_disguised_directed_insult_is_found() -> None:
    assert found("y0u absolute mupp3t")[0][0] == "directed_insult"


def test_an_accusation_is_criticism_not_an_insult() -> None:
    assert found("He is a liar") == []


def test_a_slur_is_abusive_language_too() -> None:
    assert found("bloody pikeys again")[0][0] == "insult"
