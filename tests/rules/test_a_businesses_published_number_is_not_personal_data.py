"""A number a business or service publishes (the one on its van or sign, its switchboard or
helpline, the number to book or order on) is not anyone's private information; a person's own
number is, even beside the same words. Nor are a time before "at" a web address, a date
before a sentence that starts with a street word, or a disguised swear word that spells a
postcode in lower case."""

from __future__ import annotations

import pytest

from tests.rules.personal_data import personal_data


@pytest.mark.parametrize(
    "text",
    [
        "Kerrow Plumbing sorted our boiler in a day, their number's on the van, 01632 960452",
        "The community pharmacy's switchboard is 0161 496 0123 if you need to check stock",
        "Farm shop open daily 8-5 over Easter, ring 01632 960987 to pre-order your lamb",
        "We're open Boxing Day from 10! Bookings on 0117 496 0231",
        "The Old Forge does takeaway now, call 01632 960334 to order",
        "Age UK's advice line is 0161 496 0871 for help with the winter fuel forms",
    ],
)
def test_a_published_business_or_service_number_is_not_personal_data(text: str) -> None:
    assert personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("My number is 07700 900318, ring me to book a viewing of the flat", "07700 900318"),
        ("She lives at 9 Orchard Close and her mobile is 07700 900764", "07700 900764"),
        ("Email me at p.dawes@example.com, I can't find the form on the website", "p.dawes"),
    ],
)
def test_a_persons_number_beside_the_same_words_is_still_personal_data(
    text: str, found: str
) -> None:
    assert any(found in span for span in personal_data(text))


@pytest.mark.parametrize(
    "text",
    [
        "Your permit has lapsed. Renew within 24h at permits-renewal.example.info",
        "Pay within 48hrs at pcn-payments.example.net to avoid a surcharge",
        "The carnival is on Saturday 14 June. Road closures from 7am along the seafront",
        "Another bl00dy survey. Waste of time",
        "Bl00dy hopeless, the lot of them",
    ],
)
def test_words_that_only_look_like_personal_data_are_not(text: str) -> None:
    assert personal_data(text) == []


def test_a_postcode_in_capitals_without_a_space_is_still_found() -> None:
    assert personal_data("Parcel went to 14 Dale Street, SO152AG instead of mine") != []
