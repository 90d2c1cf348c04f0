"""Helplines, non-geographic numbers and the organisation's allow-list are never personal data;
a person's mobile or landline still is."""

from __future__ import annotations

import pytest

from rules.engine import compile_ruleset
from rules.engine.detectors.personal_data import find_personal_data
from rules.training.evaluate import rules_only_spec


@pytest.mark.parametrize(
    "text",
    [
        "If you are struggling call Samaritans free on 116 123, day or night",
        "Anyone with information can ring Crimestoppers anonymously on 0800 555 111",
        "Check flood warnings with Floodline on 0345 988 1188",
        "Smell gas? Ring 0800 111 999 straight away",
        "Report it on 101, or 999 in an emergency; NHS 111 for advice",
        "Email jo@samaritans.org if you would rather write",
        "Our business line is 0330 123 4567",
    ],
)
def test_public_numbers_are_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == []


def test_a_persons_mobile_and_landline_are_personal_data() -> None:
    assert [hit.kind for hit in find_personal_data("text me on 07700 900123")] == ["phone"]
    assert [hit.kind for hit in find_personal_data("ring her on 01632 960123")] == ["phone"]


def test_the_allow_list_covers_venues_the_organisation_lists() -> None:
    allow = {
        "allow_list": {
            "phones": ["01632 960999"],
            "emails": ["bookings@hadleighhall.example.org"],
            "postcodes": ["IP7 5DN"],
            "addresses": ["12 Market Place, Hadleigh"],
        }
    }
    text = (
        "Book the hall on 01632 960999 or bookings@hadleighhall.example.org, "
        "12 Market Place, Hadleigh IP7 5DN"
    )
    assert find_personal_data(text) != []
    assert find_personal_data(text, allow) == []


def test_the_rule_set_reads_the_allow_list_from_its_settings() -> None:
    text = "Ring the community centre on 01632 960999"
    plain = compile_ruleset(rules_only_spec({}))
    allowed = compile_ruleset(rules_only_spec({"allow_list": {"phones": ["01632 960999"]}}))
    assert any(m.category == "personal_data" for m in plain.evaluate(text))
    assert not any(m.category == "personal_data" for m in allowed.evaluate(text))


def test_an_address_after_the_words_me_at_is_still_found() -> None:
    # "me at jane.doe" reads like an obfuscated address; the real one follows it.
    text = "Email me at jane.doe@gmail.com"
    assert [(h.kind, text[h.start : h.end]) for h in find_personal_data(text)] == [
        ("email", "jane.doe@gmail.com")
    ]
