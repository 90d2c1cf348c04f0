"""Impersonation: handles and names imitating the council or its people, and claims in text."""

from __future__ import annotations

import pytest

from rules.engine import Context, RuleSetSpec, RuleSpec, compile_ruleset

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@exampleshirecc"],
    "staff_names": ["Jane Smith"],
}
COMPILED = compile_ruleset(
    RuleSetSpec(
        "test",
        1,
        (
            RuleSpec(
                key="impersonation.lookalike_account",
                name="Impersonation",
                category="impersonation",
                severity=3,
                outcome="review",
                kind="detector",
                params={"detector": "impersonation"},
            ),
        ),
        settings=SETTINGS,
    )
)


def found(text: str = "Hello", handle: str = "", name: str = "") -> list[tuple[str, int]]:
    context = Context(author_handle=handle, author_name=name)
    return [(m.detector, m.severity) for m in COMPILED.evaluate(text, context)]


@pytest.mark.parametrize(
    ("handle", "name"),
    [
        ("@ExampIeshireCC", ""),
        ("@exampleshire_cc", ""),
        ("@examp1eshirecc", ""),
        ("@exampleshirec", ""),
        ("@exampleshirecc_official", ""),
        ("@randomuser", "Exampleshire County Councll"),
        ("@randomuser", "Jane Smlth"),
    ],
)
def test_look_alike_handles_and_names_are_impersonation(handle: str, name: str) -> None:
    assert found(handle=handle, name=name) == [("lookalike_account", 3)]


def test_the_councils_own_handle_is_not_impersonation() -> None:
    assert found(handle="@exampleshirecc", name="Exampleshire County Council") == []
    assert found(handle="@ExampleshireCC", name="Exampleshire County Council") == []


def test_an_unrelated_author_is_not_impersonation() -> None:
    assert found(handle="@bob_from_the_village", name="Bob Jones") == []


def test_an_account_calling_itself_official_is_flagged_one_step_lower() -> None:
    assert found(handle="@official_updates_uk", name="Official Updates") == [("claims_official", 2)]


def test_a_comment_claiming_to_be_the_council_is_impersonation() -> None:
    text = "This is Exampleshire County Council, please DM us your bank details"
    assert found(text, handle="@helpdesk_user") == [("claims_in_text", 3)]


def test_an_own_handle_written_without_an_at_sign_is_the_council() -> None:
    assert found(handle="exampleshirecc") == []


def test_a_handle_made_of_the_councils_domain_is_impersonation() -> None:
    compiled = compile_ruleset(
        RuleSetSpec(
            "test",
            1,
            COMPILED.spec.rules,
            settings={**SETTINGS, "own_domains": ["exampleshire.gov.uk"]},
        )
    )
    context = Context(author_handle="exampleshire.gov.uk")
    assert [m.detector for m in compiled.evaluate("Rebates here", context)] == ["lookalike_account"]
