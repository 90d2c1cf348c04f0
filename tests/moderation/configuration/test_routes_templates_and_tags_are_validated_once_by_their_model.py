"""Routes, reply templates and tags are edited through ModelForms of their models, and what makes
one valid lives in the model: a form shows each mistake beside its own field, and the audited
action refuses the same things for any other caller (the shell, a data migration, the admin)
because it asks the model too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.audit import SystemActor
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.escalation_routes import do_save_escalation_route
from moderation.actions.reply_templates import do_save_reply_template
from moderation.configuration.model_forms import ReplyTemplateForm, RouteForm, TagForm
from moderation.models import EscalationRoute, ReplyTemplate, Tag
from rules.forms import RuleSetForm
from rules.models import RuleSet

pytestmark = pytest.mark.django_db
ACTOR = SystemActor.system("test")
ROUTE = {"key": "highways", "name": "Highways", "deadline_kind": "working_days"}


@pytest.mark.parametrize("amount", [0, 366])
def test_a_route_deadline_outside_a_year_is_refused_by_the_model(amount: int) -> None:
    route = EscalationRoute(**ROUTE, deadline_amount=amount)
    with pytest.raises(ValidationError) as refused:
        route.full_clean()
    assert "deadline_amount" in refused.value.message_dict


def test_a_route_keeps_real_addresses_in_one_form_and_refuses_others() -> None:
    route = EscalationRoute(**ROUTE, deadline_amount=5, email="a@example.gov.uk;  b@example.gov.uk")
    route.full_clean()
    assert route.email == "a@example.gov.uk, b@example.gov.uk"
    route.email = "foi at council"
    with pytest.raises(ValidationError) as refused:
        route.full_clean()
    assert "email" in refused.value.message_dict


def test_the_route_form_puts_each_mistake_beside_its_field() -> None:
    form = RouteForm({**ROUTE, "deadline_amount": "366", "email": "foi at council"})
    assert not form.is_valid()
    assert set(form.errors) == {"deadline_amount", "email"}


def test_the_action_refuses_what_the_model_refuses() -> None:
    route = EscalationRoute.objects.get(key="foi")
    with pytest.raises(ConfigurationRefused, match="deadline amount"):
        do_save_escalation_route(route, {"deadline_amount": 0}, actor=ACTOR)
    with pytest.raises(ConfigurationRefused, match="not an email address"):
        do_save_escalation_route(route, {"email": "nobody"}, actor=ACTOR)


def test_a_template_with_an_unknown_placeholder_or_no_text_is_refused_by_the_model() -> None:
    template = ReplyTemplate(key="thanks", name="Thanks", body="Thanks {resident}")
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "body" in refused.value.message_dict
    template.body = "   "
    with pytest.raises(ValidationError):
        template.full_clean()
    form = ReplyTemplateForm({"key": "thanks", "name": "Thanks", "body": "Hi {nobody}"})
    assert "body" in form.errors
    with pytest.raises(ConfigurationRefused, match="Unknown placeholders"):
        do_save_reply_template(None, {"name": "Thanks", "body": "Hi {x}"}, actor=ACTOR, key="t")


def test_a_tag_form_refuses_a_key_already_used() -> None:
    Tag.objects.create(key="roadworks", name="Roadworks")
    form = TagForm({"key": "roadworks", "name": "Roadworks again", "active": "on"})
    assert "key" in form.errors


def test_a_new_rule_set_form_refuses_a_name_already_taken() -> None:
    RuleSet.objects.create(name="Election period")
    form = RuleSetForm({"name": "Election period", "description": ""})
    assert form.errors["name"] == ["A rule set with this name already exists."]
