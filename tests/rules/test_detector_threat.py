"""Harassment: threats, stalking, doxxing intent, incitement, intimidation and bullying."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset


def found(text: str) -> list[tuple[str, int]]:
    rule = RuleSpec(
        key="harassment.threats",
        name="Threats",
        category="harassment",
        severity=5,
        outcome="escalate",
        route="safeguarding",
        kind="detector",
        params={"detector": "threat"},
    )
    matches = compile_ruleset(RuleSetSpec("test", 1, (rule,))).evaluate(text)
    return [(match.detector, match.severity) for match in matches]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I'll kill you", "threat"),
        ("im gonna beat the shit out of you", "threat"),
        ("I will find you", "threat"),
        ("we'll burn the council offices down", "threat"),
        ("watch your back", "threat"),
        ("someone should shoot him", "incitement"),
        ("councillors like that should be hanged", "incitement"),
        ("kys", "incitement"),
        ("I know where you live", "stalking"),
        ("I've got your home address", "stalking"),
        ("I'm going to post her home address online", "doxxing"),
        ("find out where he lives", "doxxing"),
    ],
)
def test_threats_are_found_at_full_severity(text: str, label: str) -> None:
    assert found(text) == [(label, 5)]


@pytest.mark.parametrize(
    ("text", "label", "severity"),
    [
        ("I hope you die", "wish_harm", 4),
        ("you'll regret this", "intimidation", 4),
        ("delete this or else", "intimidation", 4),
        ("let's all message her", "pile_on", 4),
        ("nobody likes you", "bullying", 3),
    ],
)
def test_lesser_harassment_is_graded_below_a_threat(text: str, label: str, severity: int) -> None:
    assert found(text) == [(label, severity)]


@pytest.mark.parametrize(
    "text",
    [
        "These potholes will kill someone",
        "I'd kill for a weekly bin collection",
        "I'll get you the form tomorrow",
        "You will pay £50 for a replacement bin",
        "The picture should be hung in the town hall",
        "Do you know where the tip is?",
        "Be careful what you wish for",
        "Please post the address of the new library",
    ],
)
def test_ordinary_phrases_with_violent_words_are_not_threats(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["I'll k1ll you", "i'll k i l l you", "I\u2019ll kill u"])
def test_a_disguised_threat_is_found(text: str) -> None:
    assert found(text) == [("threat", 5)]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("He should be taken round the back and taught a lesson", "threat"),
        ("If he comes onto my land again he'll be leaving in an ambulance", "threat"),
        ("You lot had better lock your doors tonight", "threat"),
        ("Someone needs to set fire to the town hall", "threat"),
        ("Bin crew, do that again and I'll run you over", "threat"),
        ("Someone should key the mayor's car", "threat"),
        ("Keep reporting my dog and I'll poison yours", "intimidation"),
        ("I'm sending those screenshots to your employer", "intimidation"),
        ("Ignore me at your peril", "intimidation"),
        ("Shut your mouth Pete or I'll shut it for you", "intimidation"),
        ("I've found out where the housing officer parks", "stalking"),
        ("I'll be at your house on Saturday", "stalking"),
        ("We should all turn up at her house", "pile_on"),
    ],
)
def test_veiled_threats_in_everyday_idiom_are_found(text: str, label: str) -> None:
    assert found(text)[0][0] == label


@pytest.mark.parametrize(
    "text",
    [
        "Please report it to your employer if you are unsure",
        "This song makes me want to drink bleach",
        "The bins ended up in the road again",
        "Keep up the good work and we will see you at the fete",
        "I'll be at the library on Saturday",
    ],
)
def test_everyday_sentences_near_those_idioms_are_not_threats(text: str) -> None:
    assert found(text) == []
