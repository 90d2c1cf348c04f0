"""A version stored before the options existed (its default rules read by their keys) gains
them from migration 0008, so it judges as before; other rules, and a rule that only borrows a
default key with another detector, are left as they are."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from rules.models import Rule, RuleSet

pytestmark = pytest.mark.django_db
migration = importlib.import_module(
    "rules.migrations.0008_default_rules_say_which_findings_need_the_model"
)


def test_the_default_rules_of_a_stored_version_gain_their_options() -> None:
    version = RuleSet.objects.get(is_default=True).versions.get()
    # As stored before the options (a published version is changed only by a migration).
    for rule in version.rules.all():
        options = ("needs_model", "skip_reported")
        params = {k: v for k, v in rule.params.items() if k not in options}
        Rule.objects.filter(pk=rule.pk).update(params=params)
    before = {r.key: dict(r.params) for r in version.rules.all()}
    Rule.objects.filter(version=version, key="hate.protected_characteristics").update(
        key="local.hate"
    )

    state = MigrationLoader(connection).project_state(
        ("rules", "0008_default_rules_say_which_findings_need_the_model")
    )
    migration.add_options(state.apps, None)

    after = {r.key: dict(r.params) for r in version.rules.all()}
    assert after["political.party_promotion"] == {
        **before["political.party_promotion"],
        "needs_model": True,
    }
    assert after["abuse.profanity"] == {**before["abuse.profanity"], "skip_reported": True}
    assert after["abuse.insults"] == {**before["abuse.insults"], "skip_reported": True}
    assert after["local.hate"] == before["hate.protected_characteristics"]
    changed = {"political.party_promotion", "abuse.profanity", "abuse.insults", "local.hate"}
    assert {k: v for k, v in after.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed | {"hate.protected_characteristics"}
    }
