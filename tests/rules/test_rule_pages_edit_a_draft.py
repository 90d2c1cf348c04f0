"""Editing rules happens in a draft: start one from the live version, add, change and remove
rules (each audited), and a published version refuses every change."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from rules.forms import RuleForm
from rules.models import RuleSet, RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db

NEW_RULE = {
    "key": "fruit-apples",
    "name": "Apples",
    "category": "off_topic",
    "severity": "2",
    "outcome": "review",
    "kind": "words",
    "enabled": "on",
    "words": "apples\ncrab appl*\n",
    "whole_word": "on",
    "flags": "i",
    "view": "normalised",
}


@pytest.fixture
def draft(adam) -> RuleSetVersion:
    ruleset = bananas_ruleset()
    response = signed_in(Client(), adam).post(f"/rules/{ruleset.pk}/draft/")
    assert response.status_code == 302
    return ruleset.versions.get(state=RuleSetVersion.State.DRAFT)


def test_starting_a_draft_copies_the_live_rules(draft) -> None:
    assert draft.number == 2
    assert list(draft.rules.values_list("key", flat=True)) == ["fruit-bananas"]


def test_adding_a_word_list_rule_to_the_draft_is_audited(adam, draft) -> None:
    response = signed_in(Client(), adam).post(f"/rules/versions/{draft.pk}/rules/new/", NEW_RULE)

    assert response.status_code == 302
    rule = draft.rules.get(key="fruit-apples")
    assert rule.params == {"words": ["apples", "crab appl*"], "whole_word": True}
    event = AuditEvent.objects.get(event_type="rules.rule.saved", target_id=str(rule.pk))
    assert event.before is None
    assert event.after is not None
    assert event.after["params"]["words"] == ["apples", "crab appl*"]


def test_a_pattern_the_engine_cannot_run_is_refused_with_its_reason(adam, draft) -> None:
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/rules/new/",
        {**NEW_RULE, "key": "bad-pattern", "kind": "regex", "pattern": "(a+)+$"},
    )
    assert response.status_code == 400
    assert b"pattern:" in response.content
    assert not draft.rules.filter(key="bad-pattern").exists()


def test_changing_a_rule_records_before_and_after(adam, draft) -> None:
    rule = draft.rules.get(key="fruit-bananas")
    client = signed_in(Client(), adam)
    form = client.get(f"/rules/versions/{draft.pk}/rules/{rule.pk}/")
    assert b"bananas" in form.content

    client.post(
        f"/rules/versions/{draft.pk}/rules/{rule.pk}/",
        {**NEW_RULE, "name": "Bananas", "severity": "4", "words": "bananas\nplantains"},
    )

    rule.refresh_from_db()
    assert rule.severity == 4
    event = AuditEvent.objects.filter(event_type="rules.rule.saved").latest("id")
    assert event.before is not None and event.after is not None
    assert event.before["severity"] == 2 and event.after["severity"] == 4


def test_removing_a_rule_from_the_draft_is_audited(adam, draft) -> None:
    rule = draft.rules.get()
    signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/rules/{rule.pk}/delete/", {"confirmed": "yes"}
    )
    assert not draft.rules.exists()
    deleted = AuditEvent.objects.get(event_type="rules.rule.deleted").before
    assert deleted is not None and deleted["key"] == "fruit-bananas"


def test_a_published_version_cannot_be_edited(adam) -> None:
    live = bananas_ruleset().versions.get(state=RuleSetVersion.State.LIVE)
    rule = live.rules.get()
    client = signed_in(Client(), adam)
    assert client.get(f"/rules/versions/{live.pk}/rules/new/").status_code == 403
    address = f"/rules/versions/{live.pk}/rules/{rule.pk}/delete/"
    assert client.post(address, {"confirmed": "yes"}).status_code == 403
    assert live.rules.count() == 1


def test_the_rule_set_list_takes_a_fixed_number_of_queries(
    adam, django_assert_max_num_queries
) -> None:
    client = signed_in(Client(), adam)
    for outcome in ("review", "hold", "auto_hide"):
        bananas_ruleset(outcome)
    with django_assert_max_num_queries(16):
        response = client.get("/rules/")
    assert response.content.count(b"Version 1") >= RuleSet.objects.count()


def test_detector_settings_of_a_draft_are_saved_as_data(adam, draft) -> None:
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/settings/",
        {"blocked_domains": "evil.example\nphish.example", "other": '{"flood_threshold": 5}'},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.settings["blocked_domains"] == ["evil.example", "phish.example"]
    assert draft.settings["flood_threshold"] == 5


def test_a_default_rule_with_a_dotted_key_can_be_edited_in_a_draft(adam) -> None:
    """The default rule set's keys look like "abuse.insults"; editing one must work."""
    ruleset = RuleSet.objects.get(is_default=True)
    client = signed_in(Client(), adam)
    client.post(f"/rules/{ruleset.pk}/draft/")
    draft = ruleset.versions.get(state=RuleSetVersion.State.DRAFT)
    rule = draft.rules.filter(key__contains=".", kind="detector").first()
    assert rule is not None
    form = RuleForm(instance=rule, editing=True).initial
    data = {k: v for k, v in form.items() if v not in (None, False)}
    data.update({"severity": "1", "enabled": "on", "flags": "i", "view": "normalised"})

    response = client.post(f"/rules/versions/{draft.pk}/rules/{rule.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    rule.refresh_from_db()
    assert rule.severity == 1
