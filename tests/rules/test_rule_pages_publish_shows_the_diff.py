"""Publishing shows what changes against the live version (rules added, removed, and changed
field by field, with a word list's added and removed words), then freezes the draft."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from rules.actions import do_save_rule, do_start_draft, rule_snapshot
from rules.models import RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> RuleSetVersion:
    ruleset = bananas_ruleset()
    version = do_start_draft(ruleset, actor=SystemActor.system("test"))
    rule = version.rules.get()
    do_save_rule(
        version,
        key=rule.key,
        fields={
            **rule_snapshot(rule),
            "params": {"words": ["bananas", "plantains"], "whole_word": True},
            "severity": 4,
        },
        actor=SystemActor.system("test"),
    )
    return version


def test_the_publish_page_shows_changed_fields_and_added_words(adam, draft) -> None:
    page = signed_in(Client(), adam).get(f"/rules/versions/{draft.pk}/publish/")

    assert page.status_code == 200
    content = page.content.decode()
    assert "Changed (1)" in content
    assert "Words added" in content and "plantains" in content
    assert "severity" in content


def test_publishing_makes_the_draft_live_and_archives_the_old_version(adam, draft) -> None:
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/publish/", {"note": "Plantains too"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == RuleSetVersion.State.LIVE
    assert draft.ruleset.versions.get(number=1).state == RuleSetVersion.State.ARCHIVED
    event = AuditEvent.objects.filter(event_type="rules.version.published").latest("id")
    assert event.data["note"] == "Plantains too"
    assert "fruit-bananas" in event.data["diff"]["changed"]


def test_publishing_as_shadow_keeps_the_live_version(adam, draft) -> None:
    signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/publish/", {"note": "Trial", "shadow": "on"}
    )
    draft.refresh_from_db()
    assert draft.state == RuleSetVersion.State.SHADOW
    assert draft.ruleset.versions.get(number=1).state == RuleSetVersion.State.LIVE


def test_publishing_needs_a_note(adam, draft) -> None:
    response = signed_in(Client(), adam).post(f"/rules/versions/{draft.pk}/publish/", {})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.state == RuleSetVersion.State.DRAFT
