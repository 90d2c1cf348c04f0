"""Party politics is promoting or attacking a party or candidate, or canvassing: the word
"vote" alone ("will only ever vote for more mosques", "vote for change") is not a political
flag, while canvassing for a party or a named person still is."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.implied import has_political_cue
from rules.engine.learned.masks import build_masks

SETTINGS = {"staff_names": ["Tom Hargreaves"], "candidates": ["Lucy Fenwick"]}
SHIPPED = compile_ruleset(default_ruleset_spec(SETTINGS))


def categories(text: str) -> set[str]:
    return {match.category for match in SHIPPED.evaluate(text)}


def cue(text: str) -> bool:
    return has_political_cue(extract(Document(text), build_masks(SETTINGS)))


@pytest.mark.parametrize(
    "text",
    [
        "Muslims on the planning committee will only ever vote for more mosques",
        "Muslims are terrorists, vote for change",
        "The committee will vote on the bus station plans next week",
        "Did anyone else vote in the library consultation?",
    ],
)
def test_vote_alone_is_not_political(text: str) -> None:
    assert not cue(text)
    assert "political" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vote Labour on Thursday, it's the only way to save the library",
        "Vote for Lucy Fenwick on 4 May, she'll fight for Culmbridge",
        "Get out on Thursday and vote Okonkwo, the only one who cares about this ward",
    ],
)
def test_canvassing_for_a_party_or_person_is_political(text: str) -> None:
    assert cue(text)
    assert "political" in categories(text)


def test_hate_that_says_vote_is_still_hate() -> None:
    assert "hate" in categories("Muslims are terrorists, vote for change")
