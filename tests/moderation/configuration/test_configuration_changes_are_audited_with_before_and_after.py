"""Every configuration change is one audited action with before and after: channel settings,
reply templates, escalation routes, the organisation, the strike threshold and retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.actions.channels import do_update_channel
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.organisation import do_set_retention_days
from moderation.actions.reply_templates import do_save_reply_template
from moderation.models import Channel, EscalationRoute, Organisation, ReplyTemplate
from tests.factories import ChannelFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import channel_settings_form

pytestmark = pytest.mark.django_db


def test_changing_monitoring_hours_records_only_what_changed(adam) -> None:
    channel = ChannelFactory()
    client = signed_in(Client(), adam)

    response = client.post(
        f"/settings/channels/{channel.pk}/",
        channel_settings_form(channel, hours_start="08:00", nation="scotland"),
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.hours_start == dt.time(8, 0)
    event = AuditEvent.objects.get(event_type="moderation.channel.updated")
    assert event.before == {"hours_start": "09:00", "nation": "england"}
    assert event.after == {"hours_start": "08:00", "nation": "scotland"}
    assert event.actor == adam


def test_pausing_a_channel_marks_it_paused(adam) -> None:
    channel = ChannelFactory()
    client = signed_in(Client(), adam)
    data = channel_settings_form(channel)
    del data["enabled"]

    client.post(f"/settings/channels/{channel.pk}/", data)

    channel.refresh_from_db()
    assert (channel.enabled, channel.status) == (False, Channel.Status.PAUSED)


def test_saving_a_channel_unchanged_records_nothing(adam) -> None:
    channel = ChannelFactory()
    assert do_update_channel(channel, {"name": channel.name}, actor=adam) is False
    assert not AuditEvent.objects.filter(event_type="moderation.channel.updated").exists()


def test_a_reply_template_with_an_unknown_placeholder_is_refused(adam) -> None:
    template = ReplyTemplate.objects.get(key="listening")
    with pytest.raises(ConfigurationRefused, match=r"\{first_name\}"):
        do_save_reply_template(template, {"body": "Hi {first_name}"}, actor=adam)


def test_editing_a_reply_template_is_audited(adam) -> None:
    template = ReplyTemplate.objects.get(key="listening")
    response = signed_in(Client(), adam).post(
        f"/settings/templates/{template.pk}/",
        {
            "name": template.name,
            "body": "Thank you {author}: we are listening.",
            "offered_first_in_crisis": "on",
            "active": "on",
            "position": "0",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type="moderation.reply_template.saved")
    assert event.after == {"body": "Thank you {author}: we are listening."}
    assert event.before is not None
    assert "we are listening" in event.before["body"]


def test_a_route_takes_only_real_email_addresses(adam) -> None:
    route = EscalationRoute.objects.get(key="foi")
    client = signed_in(Client(), adam)
    form = {"name": route.name, "deadline_kind": "working_days", "deadline_amount": "20"}

    refused = client.post(f"/settings/routes/{route.pk}/", {**form, "email": "foi at council"})
    saved = client.post(
        f"/settings/routes/{route.pk}/", {**form, "email": "foi@example.gov.uk; eir@example.gov.uk"}
    )

    assert refused.status_code == 400
    assert saved.status_code == 302
    route.refresh_from_db()
    assert route.email == "foi@example.gov.uk, eir@example.gov.uk"
    event = AuditEvent.objects.get(event_type="moderation.route.saved")
    assert event.before == {"email": ""}


def test_the_organisations_contacts_and_people_are_saved_as_lists(adam) -> None:
    response = signed_in(Client(), adam).post(
        "/settings/organisation/",
        {
            "form": "details",
            "name": "Exampleshire County Council",
            "handles": "@ExampleshireCC\n\nexampleshirecc\n",
            "staff_names": "Margaret Okafor\nDavid Pennington",
            "candidates": "",
            "phones": "0300 123 4567",
            "emails": "foi@exampleshire.gov.uk",
            "domains": "exampleshire.gov.uk",
            "foi_contact": "foi@exampleshire.gov.uk",
        },
    )
    assert response.status_code == 302
    org = Organisation.current()
    assert org.handles == ["@ExampleshireCC", "exampleshirecc"]
    assert org.staff_names == ["Margaret Okafor", "David Pennington"]
    assert org.own_contacts["phones"] == ["0300 123 4567"]
    assert org.own_contacts["foi_contact"] == "foi@exampleshire.gov.uk"
    assert org.engine_settings()["own_domains"] == ["exampleshire.gov.uk"]
    event = AuditEvent.objects.get(event_type="moderation.organisation.updated")
    assert event.after is not None
    assert event.after["name"] == "Exampleshire County Council"


def test_strike_threshold_and_retention_are_audited_separately(adam) -> None:
    signed_in(Client(), adam).post(
        "/settings/organisation/",
        {"form": "numbers", "strike_threshold": "5", "retention_days": "365"},
    )
    org = Organisation.current()
    assert (org.strike_threshold, org.retention_days) == (5, 365)
    strike = AuditEvent.objects.get(event_type="moderation.organisation.strike_threshold_set")
    assert (strike.before, strike.after) == ({"strike_threshold": 3}, {"strike_threshold": 5})
    retention = AuditEvent.objects.get(event_type="moderation.organisation.retention_set")
    assert (retention.before, retention.after) == ({"retention_days": 730}, {"retention_days": 365})


def test_a_retention_period_too_short_for_statutory_deadlines_is_refused(adam) -> None:
    with pytest.raises(ConfigurationRefused, match="FOI"):
        do_set_retention_days(7, actor=adam)
    assert Organisation.current().retention_days == 730
