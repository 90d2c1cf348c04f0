"""Statutory requests: FOI/EIR, subject access and formal complaints, each routed."""

from __future__ import annotations

import pytest

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset, validate_rule


def found(text: str, kind: str) -> list[str]:
    rule = RuleSpec(
        key=f"statutory.{kind}",
        name=kind,
        category="complaint",
        severity=3,
        outcome="route",
        route="complaints",
        kind="detector",
        params={"detector": "statutory", "kind": kind},
    )
    return [m.detector for m in compile_ruleset(RuleSetSpec("t", 1, (rule,))).evaluate(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Under the Freedom of Information Act, how much was spent on consultants?",
        "This is an FOI request for the gritting budget",
        "I'd like to submit an FOI about the bypass",
        "Under the Environmental Information Regulations please send the air quality data",
        "I request the following information: the number of potholes repaired in 2024",
        "Please provide copies of all emails about the car park sale",
    ],
)
def test_foi_and_eir_requests_are_found(text: str) -> None:
    assert found(text, "foi")


@pytest.mark.parametrize(
    "text",
    [
        "How much did the council spend on the new signs?",
        "Is there any information about the road closure?",
    ],
)
def test_questions_that_are_not_requests_under_the_act_are_not_foi(text: str) -> None:
    assert found(text, "foi") == []


@pytest.mark.parametrize(
    "text",
    [
        "I am making a subject access request",
        "Please send me all the personal data you hold about me",
        "I want a copy of my case notes",
        "Under GDPR I am asking for a copy of everything you hold on me",
    ],
)
def test_subject_access_requests_are_found(text: str) -> None:
    assert found(text, "subject_access")


def test_talk_about_data_protection_is_not_a_subject_access_request() -> None:
    assert found("The council must follow GDPR rules like everyone", "subject_access") == []


@pytest.mark.parametrize(
    "text",
    [
        "I want to make a formal complaint about the bin crew",
        "I wish to complain about the state of the park",
        "This is a stage 2 complaint",
        "I will be going to the Ombudsman",
        "How do I make a complaint?",
    ],
)
def test_formal_complaints_are_found(text: str) -> None:
    assert found(text, "complaint")


@pytest.mark.parametrize(
    "text",
    [
        "People complain too much round here",
        "No complaints from me, great service",
        "Stop complaining and help out",
    ],
)
def test_talk_about_complaining_is_not_a_complaint(text: str) -> None:
    assert found(text, "complaint") == []


def test_a_statutory_rule_must_name_its_kind() -> None:
    assert validate_rule("detector", {"detector": "statutory"}) != []
    assert validate_rule("detector", {"detector": "statutory", "kind": "appeal"}) != []


@pytest.mark.parametrize(
    "text",
    [
        "How many staff earn more than £100,000? FOI please.",
        "FOI: how much was spent on the rebrand?",
        "Freedom of information: what did the refurbishment cost?",
        "Please treat as an FOI: number of routes cancelled this term",
        "Request for information: how many Blue Badges were issued?",
    ],
)
def test_foi_used_as_a_label_is_a_request(text: str) -> None:
    assert found(text, "foi")


@pytest.mark.parametrize(
    "text",
    [
        "FOI requests cost councils a fortune",
        "Please send me copies of all the records you hold on me",
    ],
)
def test_talk_about_foi_and_requests_for_ones_own_data_are_not_foi(text: str) -> None:
    assert found(text, "foi") == []


@pytest.mark.parametrize(
    "text",
    [
        "I want to see what the council wrote about me in the referral",
        "Send me everything you've got on me",
        "Please send me the footage of my ticket being issued, I'm entitled to it",
    ],
)
def test_asking_for_what_is_held_about_oneself_is_subject_access(text: str) -> None:
    assert found(text, "subject_access")


@pytest.mark.parametrize("text", ["What about me?", "What do you think about me posting this?"])
def test_questions_about_oneself_are_not_subject_access(text: str) -> None:
    assert found(text, "subject_access") == []


@pytest.mark.parametrize(
    "text",
    [
        "Can someone tell me how to escalate a complaint?",
        "I want this logged as a complaint against the officer",
        "Please pass this to your complaints team: I was charged twice",
        "I'm writing to complain formally about the school bus",
    ],
)
def test_more_ways_of_making_a_complaint_are_found(text: str) -> None:
    assert found(text, "complaint")
