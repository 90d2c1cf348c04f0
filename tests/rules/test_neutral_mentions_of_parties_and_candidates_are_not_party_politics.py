"""A party or candidate mentioned in passing (a leaflet received, a candidate seen at an event,
someone standing) is not party politics; party words inside ordinary phrases and names ("a
conservative estimate", "Green Watch") are not parties; "<name> out" is a slogan."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset

RULE = RuleSpec(
    key="political.party_promotion",
    name="Party politics",
    category="political",
    severity=2,
    outcome="review",
    kind="detector",
    params={"detector": "political"},
)
COMPILED = compile_ruleset(
    RuleSetSpec("test", 1, (RULE,), settings={"candidates": ["Alice Brown", "Tom Penrose"]})
)


def political(text: str) -> bool:
    return any(m.category == "political" for m in COMPILED.evaluate(text))


@pytest.mark.parametrize(
    "text",
    [
        "The Reform leaflet came through the door today with the wrong ward map on it",
        "Alice Brown was handing out leaflets at the station, didn't know she was standing",
        "The Labour candidate and the Green candidate both came to the litter pick",
        "Conservative estimate, about half the lights on the Ridgeway estate are out.",
        "Labour shortages in social care are a national problem, not just ours.",
        "Thanks to Green Watch for the station open day, the kids loved the engine",
        "Which party is Tom Penrose in? Is he the one who runs the garage?",
        "Who is in charge of the gritting now the Greens run the committee?",
    ],
)
def test_passing_mentions_are_not_party_politics(text: str) -> None:
    assert not political(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tom Penrose out! Tom Penrose out!",
        "Labour have had this ward for forty years. Time to kick them out.",
        "Vote Labour on Thursday",
        "Alice Brown has my vote, she's the only one who listens",
        "The Tories have ruined this town",
    ],
)
def test_campaigning_is_still_party_politics(text: str) -> None:
    assert political(text)
