"""The organisation's own published contact details are not personal data."""

from __future__ import annotations

from typing import Any

from rules.engine.detectors.personal_data import find_personal_data

OWN = {
    "own_contacts": {
        "phones": ["0300 123 4567"],
        "emails": ["enquiries@exampleshire.gov.uk"],
        "postcodes": ["EX2 4QD"],
        "addresses": ["County Hall, Topsham Road"],
        "domains": ["exampleshire.gov.uk"],
    }
}


def found(text: str, settings: Any = OWN) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_personal_data(text, settings)]


def test_the_councils_published_phone_number_is_not_personal_data() -> None:
    assert found("call 0300 123 4567 or +44 300 123 4567") == []


def test_a_residents_number_beside_the_councils_is_still_found() -> None:
    assert found("I rang 0300 123 4567, ring me on 07911 123456") == [("phone", "07911 123456")]


def test_emails_at_the_councils_own_domain_are_not_personal_data() -> None:
    text = (
        "write to foi@exampleshire.gov.uk, jane.smith@exampleshire.gov.uk "
        "or x@roads.exampleshire.gov.uk"
    )
    assert found(text) == []


def test_a_domain_that_only_ends_like_the_councils_is_not_its_own() -> None:
    assert found("me@notexampleshire.gov.uk") == [("email", "me@notexampleshire.gov.uk")]


def test_a_listed_email_written_in_an_obfuscated_way_is_still_the_councils() -> None:
    settings = {"own_contacts": {"emails": ["Enquiries@Exampleshire.gov.uk"]}}
    assert found("enquiries at exampleshire dot gov dot uk", settings) == []


def test_the_councils_postcode_and_address_are_not_personal_data() -> None:
    assert found("County Hall, Topsham Road, Exeter EX2 4QD") == []
    assert found("come to EX2 4QD") == []


def test_without_own_contacts_the_same_details_are_found() -> None:
    # A geographic number: an 03 number is a public one, never personal data, with or without.
    own = {"own_contacts": {"phones": ["01632 960123"]}}
    assert found("call 01632 960123", own) == []
    assert found("call 01632 960123", None) == [("phone", "01632 960123")]


def test_malformed_settings_are_ignored_rather_than_raising() -> None:
    for settings in (
        {"own_contacts": None},
        {"own_contacts": {"phones": 5, "emails": [None, 3], "domains": "exampleshire.gov.uk"}},
        {"kinds": 7},
        {"own_contacts": {"phones": ["not a number"]}},
    ):
        assert found("call 07911 123456", settings) == [("phone", "07911 123456")]
