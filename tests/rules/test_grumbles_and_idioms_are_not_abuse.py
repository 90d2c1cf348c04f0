"""Calling the council "a joke" or an officer a "jobsworth" is criticism, not abuse (the staff
rule reads the second); a hole in the road, a pancake race and "cock-a-hoop" are not swearing."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset
from rules.training.evaluate import rules_only_spec

RULES = compile_ruleset(rules_only_spec({}))


def abuse(text: str) -> bool:
    return any(m.category == "abuse" for m in RULES.evaluate(text))


@pytest.mark.parametrize(
    "text",
    [
        "This council is a joke. Bins missed again, 3rd time.",
        "Absolute joke that the tip is shut on Mondays.",
        "Hargreaves is a jumped up jobsworth who couldn't run a bath.",
        "Still waiting for someone to fill a hole on the A4291 after 6 months",
        "Pancake tossers wanted for the Shrove Tuesday race outside the station!",
        "The kids were cock-a-hoop after the open day",
        "Couldn't organise a piss-up in a brewery, the state of the recycling centre",
    ],
)
def test_not_abuse(text: str) -> None:
    assert not abuse(text)


@pytest.mark.parametrize(
    "text",
    ["You absolute a-hole", "you tossers", "piss off the lot of you", "you ahole"],
)
def test_still_abuse(text: str) -> None:
    assert abuse(text)


def test_a_jobsworth_named_is_still_staff_criticism() -> None:
    found = RULES.evaluate("Cllr Hargreaves is a jobsworth")
    assert "staff_criticism" in {m.category for m in found}
