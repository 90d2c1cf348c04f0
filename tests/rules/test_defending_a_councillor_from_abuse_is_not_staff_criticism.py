"""A comment that defends a named councillor or officer from what others post ("leave Cllr
Rafferty alone, the abuse she's getting is vile") uses the words of criticism about the
comments, not the person: neither the staff rule nor a model flag reads it as staff criticism.
Criticism of the person, and of their own comments, still is."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import model_flag_allowed
from rules.engine.learned.masks import build_masks
from rules.training.evaluate import rules_only_spec

SETTINGS = {"own_names": ["Exampleshire Council"], "staff_names": ["Mary Rafferty", "Raj Sandhu"]}
RULES_ONLY = compile_ruleset(rules_only_spec(SETTINGS))
SHIPPED = compile_ruleset(default_ruleset_spec(SETTINGS))

DEFENCES = [
    "Please leave Cllr Rafferty alone, the abuse she's getting in these comments is vile.",
    "Some of the comments on Cllr Sandhu's post are disgusting. Disagree by all means.",
    "Threatening Cllr Sandhu's children is vile. Whatever you think of the scheme.",
    "Cllr Rafferty gets a lot of hate on here. Some of it is frankly racist.",
    "Cllr Sandhu isn't even from here, and even if he was, that's a disgusting thing to say.",
]
CRITICISM = [
    "Cllr Rafferty is useless and should resign",
    "The comments Cllr Sandhu made at full council were disgusting, he should resign",
    "Cllr Sandhu's posts are vile, he's not fit for office",
]


def staff_flag(text: str) -> bool:
    return any(m.category == "staff_criticism" for m in RULES_ONLY.evaluate(text))


@pytest.mark.parametrize("text", DEFENCES)
def test_a_defence_is_not_staff_criticism(text: str) -> None:
    assert not staff_flag(text)
    extracted = extract(Document(text), build_masks(SETTINGS))
    assert not model_flag_allowed("staff_criticism", extracted)


@pytest.mark.parametrize("text", CRITICISM)
def test_criticism_of_the_person_still_is(text: str) -> None:
    assert staff_flag(text)
    extracted = extract(Document(text), build_masks(SETTINGS))
    assert model_flag_allowed("staff_criticism", extracted)


def test_the_shipped_engine_does_not_flag_a_defence() -> None:
    found = SHIPPED.evaluate(DEFENCES[0])
    assert "staff_criticism" not in {m.category for m in found}
