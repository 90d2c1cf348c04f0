"""A channel's settings, the organisation's details and a rule are edited through ModelForms of
their models: each field's length, choices and type come from the model, the page starts from the
saved object, and a value the model refuses is shown beside its own field."""

from __future__ import annotations

import pytest
from django import forms

from accounts.audit import SystemActor
from moderation.actions.channels import do_update_channel
from moderation.actions.configuration import ConfigurationRefused
from moderation.configuration.channel_forms import ChannelSettingsForm
from moderation.configuration.forms import OrganisationForm
from moderation.models import Organisation
from rules.forms import RuleForm
from rules.models import RuleSet
from tests.factories import ChannelFactory
from tests.moderation.configuration.factories_configuration import channel_settings_form

pytestmark = pytest.mark.django_db
ACTOR = SystemActor.system("test")


def test_the_three_forms_are_forms_of_their_models() -> None:
    for form_class in (ChannelSettingsForm, OrganisationForm, RuleForm):
        assert issubclass(form_class, forms.ModelForm), form_class


def test_the_channel_form_starts_from_the_channel_and_refuses_a_name_too_long_beside_it() -> None:
    channel = ChannelFactory(name="Highways", hours_days="0246")
    shown = ChannelSettingsForm(instance=channel)
    assert shown.initial["name"] == "Highways"
    assert shown.initial["hours_days"] == ["0", "2", "4", "6"]

    form = ChannelSettingsForm(channel_settings_form(channel, name="x" * 121), instance=channel)
    assert not form.is_valid()
    assert list(form.errors) == ["name"]


def test_the_channel_form_shows_a_poll_interval_below_the_minimum_beside_its_field() -> None:
    channel = ChannelFactory()
    form = ChannelSettingsForm(
        channel_settings_form(channel, poll_interval_seconds="5"), instance=channel
    )
    assert list(form.errors) == ["poll_interval_seconds"]


def test_the_organisation_form_reads_lists_and_contacts_from_the_organisation() -> None:
    org = Organisation.objects.create(
        name="Exampleshire", handles=["@exampleshire"], own_contacts={"phones": ["0300 123"]}
    )
    form = OrganisationForm(instance=org)
    assert form.initial["name"] == "Exampleshire"
    assert form.initial["handles"] == ["@exampleshire"]
    assert form.initial["phones"] == ["0300 123"]
    assert form.initial["contact"] == ""

    posted = OrganisationForm(
        {"name": "Exampleshire", "handles": "@a\n@b\n", "emails": "foi@example.gov.uk"},
        instance=org,
    )
    assert posted.is_valid(), posted.errors
    fields = posted.organisation_fields()
    assert fields["handles"] == ["@a", "@b"]
    assert fields["own_contacts"]["emails"] == ["foi@example.gov.uk"]


def test_the_rule_form_refuses_a_key_the_model_refuses_beside_the_key() -> None:
    version = RuleSet.objects.get(is_default=True).versions.first()
    assert version is not None
    rule = version.rules.first()
    assert rule is not None
    form = RuleForm(
        {
            "key": "Not A Key",
            "name": "Apples",
            "category": "off_topic",
            "severity": "2",
            "outcome": "review",
            "kind": "words",
            "words": "apples",
        }
    )
    assert list(form.errors) == ["key"]
    assert "lower-case letters" in form.errors["key"][0]

    editing = RuleForm(instance=rule, editing=True)
    assert "key" not in editing.fields
    assert editing.initial["name"] == rule.name


def test_the_action_refuses_the_numbers_the_form_refuses_for_callers_without_a_form() -> None:
    channel = ChannelFactory()
    with pytest.raises(ConfigurationRefused, match="poll interval seconds is from 10 to 86400"):
        do_update_channel(channel, {"poll_interval_seconds": 86401}, actor=ACTOR)
    with pytest.raises(ConfigurationRefused, match="backfill days is from 0 to 90"):
        do_update_channel(channel, {"backfill_days": 91}, actor=ACTOR)
