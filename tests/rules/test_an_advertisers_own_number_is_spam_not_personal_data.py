"""A phone number or email address in an advert is the advertiser's own business contact, not
anyone's private information; a number or address about a person is still personal data, and
a sum or a date before "at" a web address is not an email address."""

from __future__ import annotations

import pytest

from tests.rules.personal_data import personal_data


@pytest.mark.parametrize(
    "text",
    [
        "Seasoned logs for sale, £85 a load, text Mick 07700 900431",
        "Driving lessons £24/hr, pass first time, call Sue 07700 900122",
        "Gutters cleared from £35, fully insured, ring 07700 900655 for a free quote",
        "WE BUY ANY VAN, cash today, any condition. Text 07700 900877",
        "Mis-sold a loft insulation? No win no fee, email claims@fastclaims.example.com",
        "I made £3,200 last week trading from home, message Karen on 07700 900311",
    ],
)
def test_an_adverts_contact_number_is_not_personal_data(text: str) -> None:
    assert personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ring her on 07700 900123 and tell her what you think", "07700 900123"),
        ("He charged me £300 for nothing, his number is 07700 900456", "07700 900456"),
        ("Email jane at gmail dot com", "jane at gmail dot com"),
    ],
)
def test_a_persons_number_or_address_is_still_personal_data(text: str, found: str) -> None:
    assert found in personal_data(text)


def test_an_advert_keeps_a_home_address_as_personal_data() -> None:
    text = "Cheap skip hire, free quotes, or come round to 14 Acacia Avenue"
    assert personal_data(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "Council tax rebate, claim your £150 at rebate-claims.example.co",
        "You are owed a refund. Claim before the 30th at refunds-example.uk/claim",
    ],
)
def test_a_sum_or_date_before_at_a_web_address_is_not_an_email(text: str) -> None:
    assert personal_data(text) == []
