"""A comment that reports or condemns what others say of a protected group (a hostile shout or
graffiti reported, "that's racist", "saying … is just wrong") is counter-speech: a hate model
flag needs the comment not to be framed so, and beside the learned stage the hate rule's
findings in such a comment are dropped. A slur of the commenter's own, disowning the charge
("I'm not racist but") or endorsing what is reported keeps the comment hate-able."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.document import Document
from rules.engine.learned.counter_speech import counter_speech_frame
from rules.engine.learned.features import extract
from rules.engine.learned.implied import MODEL_FLAG_GATES
from rules.training.evaluate import rules_categories, rules_only_spec

SHIPPED = compile_ruleset(default_ruleset_spec())
RULES_ONLY = compile_ruleset(rules_only_spec({}))

FRAMED = (
    "A lad at the bus station screamed at a woman in a headscarf that Muslims should go home. "
    "Police are looking for him",
    "My daughter was called names on the way home because she is Jewish. Awful.",
    "Stickers saying Poles out have gone up on the lamp posts on Mill Lane, please remove",
    "The vandalism at the synagogue was reported to police as a hate incident",
    "Telling the refugee family on our street to go back to their own country is racist",
    "Claiming gay men are a danger to children is a myth and you know it",
    "It isn't true that asylum seekers jump the housing queue, they can't even apply",
    "Nobody should be saying Travellers steal, most of the families on the site work locally",
    # A slur reported as shouted is not the commenter's own.
    "Lads at the bus stop shout towelhead at my dad every week. Reported it to the police, "
    "Sikhs deserve better",
)
NOT_FRAMED = (
    "Refugees are criminals and should be sent back",
    "I'm not racist but the immigrants on this estate are all thieves",
    "Muslims are racist against everyone else",
    "Someone wrote that immigrants are ruining the town. To be fair they have a point",
    "Reported it? Good, the kikes had it coming",
    "Sikhs are towelheads, reported it to the police lol",
)


def framed(text: str) -> bool:
    return counter_speech_frame(extract(Document(text)))


@pytest.mark.parametrize("text", FRAMED)
def test_reports_and_condemnations_of_what_is_said_of_a_group_are_counter_speech(
    text: str,
) -> None:
    assert framed(text)
    assert not MODEL_FLAG_GATES["hate"](extract(Document(text)))


@pytest.mark.parametrize("text", NOT_FRAMED)
def test_hate_itself_disowned_endorsed_or_with_a_slur_is_not_counter_speech(text: str) -> None:
    assert not framed(text)


def test_a_comment_that_names_no_group_has_no_frame_to_read() -> None:
    assert not framed("Someone shouted at me in the car park, it was unacceptable")


def test_beside_the_model_the_rules_statement_in_a_condemnation_is_not_hate() -> None:
    text = FRAMED[4]
    assert "hate" in {match.category for match in RULES_ONLY.evaluate(text)}
    assert "hate" not in {match.category for match in SHIPPED.evaluate(text)}
    # Training reads the rules as the engine reports them beside the model.
    assert "hate" not in rules_categories(RULES_ONLY.evaluate(text), text)


def test_the_rules_statement_without_a_frame_stays_hate() -> None:
    text = "Refugees should go back to their own country"
    assert "hate" in {match.category for match in SHIPPED.evaluate(text)}
