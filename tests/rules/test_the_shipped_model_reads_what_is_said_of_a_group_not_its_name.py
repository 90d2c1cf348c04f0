"""The shipped configuration (rules and the learned stage) flags hateful statements about a
group, but a comment that only names a group (a mosque's coffee morning, a Polish deli) is not
hate; and the residents' comments the issue lists are caught."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec

SHIPPED = compile_ruleset(default_ruleset_spec())


def categories(text: str) -> set[str]:
    return {match.category for match in SHIPPED.evaluate(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Welcome to our mosque's coffee morning, everyone on the street is invited",
        "The Polish deli on Carr Street has reopened",
        "Our Sikh neighbours organised the street party",
        "Refugee families will get help with school uniforms this term",
        "Faggots and peas",
    ],
)
def test_naming_a_group_is_not_hate(text: str) -> None:
    assert "hate" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "The new mosque will just bring more terrorists to Ipswich",
        "Romanians are nothing but thieves and beggars",
    ],
)
def test_what_is_said_of_a_group_is_hate(text: str) -> None:
    assert "hate" in categories(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Someone should torch county hall with the lot of them inside", "harassment"),
        ("Email me at jane.doe@gmail.com", "personal_data"),
        (
            "Social services still haven't called me back. I can't cope anymore and I'm "
            "thinking of ending it tonight",
            "self_harm",
        ),
    ],
)
def test_the_residents_comments_in_the_issue_are_caught(text: str, category: str) -> None:
    assert category in categories(text)
