"""LinkedIn: the `LinkedIn-Version` is configurable, current, and a retired one is explained.

LinkedIn retires each monthly version about a year after its release and then refuses every
call made with it (HTTP 426). The pinned default must therefore be watched: the test below
fails once it is within 90 days of its sunset, which is the cue to move it on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from moderation.connectors import linkedin
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import SentRequest

MARGIN = dt.timedelta(days=90)


def test_the_default_version_is_not_within_ninety_days_of_its_sunset():
    sunset = linkedin.VERSION_SUNSETS[linkedin.DEFAULT_VERSION]

    assert dt.date.today() + MARGIN < sunset, (
        f"LinkedIn-Version {linkedin.DEFAULT_VERSION} sunsets on {sunset}: move DEFAULT_VERSION "
        "(and LINKEDIN_API_VERSION) to a current version and add it to VERSION_SUNSETS"
    )


def test_every_version_in_the_table_sunsets_about_a_year_after_its_release():
    for version, sunset in linkedin.VERSION_SUNSETS.items():
        released = dt.date(int(version[:4]), int(version[4:6]), 1)
        assert dt.timedelta(days=330) <= sunset - released <= dt.timedelta(days=400), version


@pytest.fixture
def kit(make_kit):
    return make_kit("linkedin")


def test_the_version_in_the_channel_configuration_is_sent(kit):
    kit.comment(kit.post(), "hello")
    sent: list[SentRequest] = []
    config = replace(kit.config(), api_version="202607")
    connector = linkedin.LinkedInConnector(config, kit.client(recorder=sent.append))

    connector.fetch_comments(None)

    assert sent and {r.headers["LinkedIn-Version"] for r in sent} == {"202607"}


def test_a_retired_version_is_explained_in_words_an_admin_understands(kit):
    kit.comment(kit.post(), "hello")
    config = replace(kit.config(), api_version="202506")

    with pytest.raises(PermanentError) as raised:
        linkedin.LinkedInConnector(config, kit.http).fetch_comments(None)

    message = str(raised.value)
    assert raised.value.status == 426
    assert "202506" in message
    assert "no longer accepts" in message
    assert "LINKEDIN_API_VERSION" in message
