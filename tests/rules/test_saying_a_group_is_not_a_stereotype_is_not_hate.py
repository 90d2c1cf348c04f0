"""Saying a protected group is not what its haters say ("Refugees are not criminals",
"Muslims aren't the problem") is counter-speech: a hate model flag needs the comment not to
deny a stereotype of a group, whatever its score. Saying the stereotype is still hate."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import MODEL_FLAG_GATES, denies_a_stereotype

SHIPPED = compile_ruleset(default_ruleset_spec())

DENIALS = (
    "Refugees are not criminals, they're families who need a home",
    "Muslims aren't the problem round here, the lack of buses is",
    "Polish people are not the problem on this estate, the landlords are",
    "No, asylum seekers are NOT all terrorists. Get a grip",
    "Travellers aren't to blame for the fly tipping on Moor Lane",
    "Migrants are not the reason the waiting list is so long",
)


def denies(text: str) -> bool:
    return denies_a_stereotype(extract(Document(text)))


@pytest.mark.parametrize("text", DENIALS)
def test_denying_a_stereotype_of_a_group_is_not_a_hate_flag(text: str) -> None:
    assert denies(text)
    assert "hate" not in {match.category for match in SHIPPED.evaluate(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Refugees are criminals and should be sent back",
        "Muslims are not human and never will be",
        "Immigrants are not welcome here",
        "Not all of them, but Romanians are thieves",
    ],
)
def test_saying_the_stereotype_or_another_negation_is_not_a_denial(text: str) -> None:
    assert not denies(text)


def test_the_stereotype_itself_is_still_flagged_as_hate() -> None:
    matches = SHIPPED.evaluate("Refugees are criminals and should be sent back")
    assert "hate" in {match.category for match in matches}


def test_the_gate_is_in_the_table_the_stage_and_training_read() -> None:
    gate = MODEL_FLAG_GATES["hate"]
    assert not gate(extract(Document(DENIALS[0])))
    assert gate(extract(Document("Refugees are criminals and should be sent back")))
