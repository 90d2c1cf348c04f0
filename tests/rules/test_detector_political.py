"""Party politics: promotion, canvassing, slogans; strict mode flags any mention."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset

SETTINGS = {"candidates": ["Alice Brown"]}


def found(text: str, *, strict: bool = False) -> list[str]:
    rule = RuleSpec(
        key="political.party_promotion",
        name="Party politics",
        category="political",
        severity=2,
        outcome="review",
        kind="detector",
        params={"detector": "political", "strict": strict},
    )
    spec = RuleSetSpec("test", 1, (rule,), settings=SETTINGS)
    return sorted({m.detector for m in compile_ruleset(spec).evaluate(text)})


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Vote Labour on Thursday", "party_promotion"),
        ("The Tories have ruined this town", "party_promotion"),
        ("Reform are the only ones who'll sort it", "party_promotion"),
        ("Take back control!", "slogan"),
        ("#VoteGreen", "slogan"),
        ("Re-elect Cllr Jones", "canvassing"),
        ("Vote for Smith on polling day", "canvassing"),
        ("Vote Alice Brown for Mayor", "canvassing"),
    ],
)
def test_promotion_canvassing_and_slogans_are_party_politics(text: str, label: str) -> None:
    assert label in found(text)


def test_a_configured_candidate_in_a_promoting_sentence_is_flagged() -> None:
    assert found("Alice Brown has my vote") == ["candidate_promotion"]


@pytest.mark.parametrize(
    "text",
    [
        "The council is useless at gritting the roads",
        "Labour costs for the scheme are too high",
        "A conservative estimate is two years",
        "Planning reform is needed",
        "The village green is overgrown",
        "The Labour councillor opened the fete",
        "How do I vote for the new playground design?",
        "Alice Brown opened the library",
    ],
)
def test_criticism_of_the_council_and_ordinary_words_are_not_party_politics(text: str) -> None:
    assert found(text) == []


def test_strict_mode_flags_any_party_or_candidate_mention() -> None:
    assert found("The Labour councillor opened the fete", strict=True) == ["party_mention"]
    assert found("Alice Brown opened the library", strict=True) == ["candidate_mention"]


def test_strict_mode_still_ignores_ordinary_words() -> None:
    assert found("labour costs and a conservative estimate", strict=True) == []


def test_a_candidates_surname_alone_counts_when_capitalised() -> None:
    assert found("Vote Brown!") == ["candidate_promotion"]
    assert found("The brown bin was not collected, vote or no vote") == []


def test_a_candidate_named_with_a_party_or_for_a_ward_is_canvassing() -> None:
    assert found("Alice Brown for Hatherley – local, Lib Dem, gets things done") == [
        "candidate_promotion"
    ]


@pytest.mark.parametrize("text", ["#LibDemFightback", "#ToriesOut", "#VoteReformUK"])
def test_party_hashtags_are_slogans(text: str) -> None:
    assert found(text) == ["slogan"]


@pytest.mark.parametrize(
    "text",
    [
        "Everyone in Copsey Green knows what you did, and the vote was rigged",
        "Green Lane is flooded again, vote or no vote",
        "The Reform Road bus stop has moved",
    ],
)
def test_party_words_in_place_and_street_names_are_not_parties(text: str) -> None:
    assert found(text) == []


def test_promotion_in_the_next_sentence_counts() -> None:
    text = "Proud to be standing for the Conservatives. Please give me your vote on Thursday."
    assert found(text) == ["party_promotion"]
