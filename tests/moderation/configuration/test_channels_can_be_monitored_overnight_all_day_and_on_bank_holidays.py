"""An admin sets a channel's monitoring to a night shift (22:00–06:00), to 24 hours, and to include
bank holidays, as a fire and rescue service needs; each change is audited and shown as it is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.actions.channels import do_update_channel
from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import channel_settings_form

pytestmark = pytest.mark.django_db


def test_a_night_shift_is_accepted_and_audited(adam) -> None:
    channel = ChannelFactory(name="Exampleshire Fire and Rescue")
    client = signed_in(Client(), adam)

    response = client.post(
        f"/settings/channels/{channel.pk}/",
        channel_settings_form(channel, hours_start="22:00", hours_end="06:00"),
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.hours_start, channel.hours_end) == (dt.time(22, 0), dt.time(6, 0))
    event = AuditEvent.objects.get(event_type="moderation.channel.updated")
    assert event.after == {"hours_start": "22:00", "hours_end": "06:00"}
    page = client.get(f"/settings/channels/{channel.pk}/").content.decode()
    assert "Mon–Fri 22:00–06:00 (overnight), not bank holidays" in page


def test_twenty_four_hours_every_day_with_bank_holidays_reads_as_24_7(adam) -> None:
    channel = ChannelFactory(name="Exampleshire Fire and Rescue")
    client = signed_in(Client(), adam)

    response = client.post(
        f"/settings/channels/{channel.pk}/",
        channel_settings_form(
            channel,
            all_day="on",
            hours_days=list("0123456"),
            bank_holidays_monitored="on",
        ),
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.hours_start, channel.hours_end) == (dt.time(0, 0), dt.time(0, 0))
    assert channel.bank_holidays_monitored
    event = AuditEvent.objects.get(event_type="moderation.channel.updated")
    assert event.before == {
        "hours_start": "09:00",
        "hours_end": "17:00",
        "hours_days": "01234",
        "bank_holidays_monitored": False,
    }
    assert event.after is not None
    assert event.after["bank_holidays_monitored"] is True
    listing = client.get("/settings/channels/").content.decode()
    assert "24/7" in listing
    form = client.get(f"/settings/channels/{channel.pk}/").content.decode()
    assert 'name="all_day"' in form and "checked" in form.split('name="all_day"')[1][:80]


def test_midnight_to_midnight_typed_as_times_is_24_hours(adam) -> None:
    channel = ChannelFactory()
    client = signed_in(Client(), adam)
    response = client.post(
        f"/settings/channels/{channel.pk}/",
        channel_settings_form(channel, hours_start="00:00", hours_end="00:00"),
    )
    assert response.status_code == 302
    page = client.get(f"/settings/channels/{channel.pk}/").content.decode()
    assert "Mon–Fri, 24 hours, not bank holidays" in page


def test_the_action_takes_any_start_and_end(adam) -> None:
    channel = ChannelFactory()
    assert do_update_channel(
        channel, {"hours_start": dt.time(18, 0), "hours_end": dt.time(8, 0)}, actor=adam
    )
    assert do_update_channel(
        channel, {"hours_start": dt.time(7, 0), "hours_end": dt.time(7, 0)}, actor=adam
    )
    channel.refresh_from_db()
    assert channel.hours_start == channel.hours_end == dt.time(7, 0)
