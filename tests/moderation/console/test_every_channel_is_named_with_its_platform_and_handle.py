"""Four channels can share a name ("Exampleshire County Council" on Facebook, YouTube, LinkedIn
and Instagram): wherever a channel is named it says which platform and which account, so an
officer never acts on the wrong one."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.models import Channel
from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import escalation_for, open_item

pytestmark = pytest.mark.django_db

NAME = "Exampleshire County Council"
RLO = "\u202e"


@pytest.fixture
def namesakes() -> list[Channel]:
    channels = [
        ChannelFactory(name=NAME, platform="facebook", handle="@exampleshire.fb"),
        ChannelFactory(name=NAME, platform="youtube", handle="@ExampleshireCC"),
        ChannelFactory(name=NAME, platform="instagram", handle="@exampleshirecc"),
        ChannelFactory(name=NAME, platform="linkedin", handle="", account_id="urn:li:org:104"),
    ]
    for channel in channels:
        escalation_for(open_item("FOI please", status="escalated", channel=channel), "foi")
    return channels


WHERE = (
    "Facebook, @exampleshire.fb",
    "YouTube, @ExampleshireCC",
    "Instagram, @exampleshirecc",
    "LinkedIn, account urn:li:org:104",
)


def assert_each_channel_told_apart(html: str, where: str) -> None:
    for label in WHERE:
        assert label in html, f"{where} does not say {label!r}"


def test_the_console_names_each_channel_with_platform_and_handle(olivia, namesakes) -> None:
    client = signed_in(Client(), olivia)
    for path in ("/queue/?tab=escalated", "/escalations/"):
        assert_each_channel_told_apart(client.get(path).content.decode(), path)
    item = namesakes[1].comments.get()
    html = client.get(f"/queue/{item.pk}/").content.decode()
    assert "YouTube, @ExampleshireCC" in html


def test_the_queue_filter_lists_each_channel_with_platform_and_handle(olivia, namesakes) -> None:
    html = signed_in(Client(), olivia).get("/queue/").content.decode()
    for channel, label in zip(namesakes, WHERE, strict=True):
        assert f'<option value="{channel.pk}">{NAME} ({label})</option>' in html


def test_reports_and_settings_name_each_channel_with_platform_and_handle(
    maya, adam, namesakes
) -> None:
    html = signed_in(Client(), maya).get("/reports/").content.decode()
    assert_each_channel_told_apart(html, "the report")
    html = signed_in(Client(), adam).get("/settings/channels/").content.decode()
    assert_each_channel_told_apart(html, "the channel list")


def test_a_handle_cannot_reorder_the_page_either(olivia) -> None:
    channel = ChannelFactory(name=NAME, platform="x", handle=f"@{RLO}lic")
    item = open_item(channel=channel)
    html = signed_in(Client(), olivia).get(f"/queue/{item.pk}/").content.decode()
    assert "X, @⟨U+202E⟩lic" in html
    assert RLO not in html.split("<textarea")[0]
