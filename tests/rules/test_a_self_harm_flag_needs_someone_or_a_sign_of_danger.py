"""A self-harm model flag needs someone in the text (the writer, a person, a pronoun) or a sign
of danger: a river-level or road update with nobody in it is not someone at risk, whatever
its score; statements of intent and emergencies (in dialect too) pass."""

from __future__ import annotations

import pytest

from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import MODEL_FLAG_GATES, has_risk_cue, model_flag_allowed


def cue(text: str) -> bool:
    return has_risk_cue(extract(Document(text)))


@pytest.mark.parametrize(
    "text",
    [
        "Water's up to the second step on the bridge at Culmbridge, going down slowly now.",
        "Road closed at the ford, the river is over the bank again.",
        "Level at Tressa Bridge dropping steadily since midnight.",
    ],
)
def test_updates_with_nobody_in_them_cannot_be_self_harm_flags(text: str) -> None:
    assert not cue(text)
    assert not model_flag_allowed("self_harm", extract(Document(text)))


@pytest.mark.parametrize(
    "text",
    [
        "I can't do this anymore, I'm ending it tonight.",
        "cant do this no more",
        "No point anymore. Goodbye everyone",
        "Ahm going tae take aw ma tablets the nicht",
        "Car in the river at the ford, someone's on the roof, 999 called",
        "Strong smell of gas all along Castle Street and it's getting worse",
        "Water is coming in under the doors and the old lady at number 4 can't get out",
        "Flames coming out of the roof of the flats on Mill Road",
    ],
)
def test_intent_and_emergencies_pass_the_gate(text: str) -> None:
    assert cue(text)


def test_the_gate_is_in_the_table_the_stage_and_training_read() -> None:
    assert MODEL_FLAG_GATES["self_harm"] is has_risk_cue
