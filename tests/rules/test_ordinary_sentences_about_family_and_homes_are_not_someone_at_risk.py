"""The shipped configuration does not put ordinary sentences about family, homes and work in
the queue's at-risk box (the demo showed two as someone at risk, driven by "my kids", "the
houses" and "at Culmbridge", and a river-level update), and still flags statements of suicidal
intent and emergencies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec

DEMO = json.loads(
    (Path(__file__).resolve().parents[2] / "moderation/demo/content.json").read_text("utf-8")
)["organisation"]
SHIPPED = compile_ruleset(
    default_ruleset_spec(
        {
            "own_names": [DEMO["name"], *DEMO["handles"]],
            "own_contacts": DEMO["own_contacts"],
            "staff_names": DEMO["staff_names"],
            "candidates": DEMO["candidates"],
        }
    )
)


def categories(text: str) -> set[str]:
    return {match.category for match in SHIPPED.evaluate(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Honestly we need the houses, my kids will never afford to live here otherwise.",
        "My sister has been on-call at Culmbridge for nine years. She's carried more people "
        "out of buildings than you ever will.",
        "My son is 24 and still lives with us, there's nothing he can afford round here.",
        "My dad was a retained firefighter at Wellbury for twenty years and he'd be ashamed "
        "of these cuts.",
        "I've lived here all my life and my grandkids will have to move away to find a home.",
        # A river-level update: nobody in it, so never a self-harm model flag (it scored 0.996).
        "Water's up to the second step on the bridge at Culmbridge, going down slowly now.",
    ],
)
def test_ordinary_sentences_are_not_self_harm(text: str) -> None:
    assert "self_harm" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't do this anymore. Nobody would even notice if I was gone, I'm ending it tonight.",
        "Social services still haven't called me back. I can't cope anymore and I'm thinking "
        "of ending it tonight",
        "There's a man collapsed on the pavement outside the library and he isn't breathing",
        "I've been stockpiling my tablets for weeks. Tonight I'm going to take them all.",
    ],
)
def test_people_at_risk_are_still_flagged(text: str) -> None:
    assert "self_harm" in categories(text)
