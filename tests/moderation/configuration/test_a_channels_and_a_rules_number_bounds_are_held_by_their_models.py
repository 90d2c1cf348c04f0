"""A channel's numbers (response target, poll interval, backfill) and a rule's severity are
bounded by validators on their model fields: the model is the one definition that the forms
(through the model's validation) and the actions (through the same validators) both apply."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from moderation.models import Channel
from rules.actions import RuleInvalid, check_rule_fields
from rules.forms import RuleForm
from rules.models import Rule

BOUNDS = [
    (Channel, "response_target_minutes", 1, 7 * 24 * 60),
    (Channel, "poll_interval_seconds", 10, 24 * 3600),
    (Channel, "backfill_days", 0, 90),
    (Rule, "severity", 1, 5),
]


@pytest.mark.parametrize(("model", "name", "low", "high"), BOUNDS)
def test_the_model_field_refuses_numbers_outside_its_bounds(model, name, low, high) -> None:
    field = model._meta.get_field(name)
    field.run_validators(low)
    field.run_validators(high)
    for outside in (low - 1, high + 1):
        with pytest.raises(ValidationError):
            field.run_validators(outside)


RULE = {
    "key": "fruit.apples",
    "name": "Apples",
    "category": "off_topic",
    "outcome": "review",
    "kind": "words",
    "words": "apples",
}


def test_the_rule_form_and_the_action_refuse_a_severity_beyond_the_models() -> None:
    form = RuleForm({**RULE, "severity": "6"})
    assert list(form.errors) == ["severity"]
    assert form.fields["severity"].widget.attrs["max"] == 5

    with pytest.raises(RuleInvalid, match="from 1 to 5"):
        check_rule_fields({**RULE, "severity": 6, "params": {"words": ["apples"]}})
