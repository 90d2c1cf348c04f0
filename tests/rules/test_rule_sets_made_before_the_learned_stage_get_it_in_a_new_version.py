"""Migration 0005: a rule set published before the learned stage gets a new live version with the
stage switched on and the new default rules, and its old version is archived unchanged; a rule set
that already has both is left alone."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from rules.models import RuleSetVersion
from tests.moderation.configuration.factories_configuration import bananas_ruleset

pytestmark = pytest.mark.django_db
migration = importlib.import_module("rules.migrations.0005_learned_stage_and_self_harm_rule")


def test_an_old_rule_set_gets_a_new_live_version_with_the_stage_and_new_rules() -> None:
    ruleset = bananas_ruleset()
    old = ruleset.versions.get(state=RuleSetVersion.State.LIVE)
    assert "model" not in old.settings

    migration.add_learned_stage(apps, None)

    old.refresh_from_db()
    new = ruleset.versions.get(state=RuleSetVersion.State.LIVE)
    assert old.state == RuleSetVersion.State.ARCHIVED
    assert new.number == old.number + 1
    assert new.settings["model"]["enabled"] is True
    keys = set(new.rules.values_list("key", flat=True))
    assert {"fruit-bananas", *migration.NEW_RULES} <= keys
    assert list(old.rules.values_list("key", flat=True)) == ["fruit-bananas"]


def test_running_it_again_changes_nothing() -> None:
    ruleset = bananas_ruleset()
    migration.add_learned_stage(apps, None)
    versions = ruleset.versions.count()
    migration.add_learned_stage(apps, None)
    assert ruleset.versions.count() == versions
