"""The phone number or email address of a comment the shipped configuration flags as an
advert is the advertiser's business contact, not personal data; a person's number in an
ordinary comment still is."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset, default_ruleset_spec

SHIPPED = compile_ruleset(default_ruleset_spec({"own_names": ["Exampleshire County Council"]}))


def categories(text: str) -> set[str]:
    return {match.category for match in SHIPPED.evaluate(text)}


@pytest.mark.parametrize(
    "text",
    [
        "PEAT & LOGS delivered all villages, best prices, bulk bags £55. Call or text 07700 900577",
        "Used cars, no credit checks, finance for everyone! Visit Cars4U or call 0161 496 0455",
        "Spray tans £15 this week only, 07700 900519, DM to book",
    ],
)
def test_an_adverts_number_is_spam_not_personal_data(text: str) -> None:
    found = categories(text)
    assert "spam" in found
    assert "personal_data" not in found


def test_a_persons_number_in_an_ordinary_comment_is_still_personal_data() -> None:
    assert "personal_data" in categories(
        "My mum's been waiting a week for the carer, ring her on 07700 900461 please"
    )
