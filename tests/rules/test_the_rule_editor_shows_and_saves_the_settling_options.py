"""The rule editor shows a rule's settling options (``needs_model``, ``skip_reported``) as two
boxes, ticked as its spec says, and saves them into its parameters; the detector options box
does not repeat them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rules.models import RuleSet, RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    plain_static_files,  # noqa: F401
)
from tests.rules.test_rule_pages_edit_a_draft import NEW_RULE

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(adam) -> RuleSetVersion:
    ruleset = RuleSet.objects.get(is_default=True)
    signed_in(Client(), adam).post(f"/rules/{ruleset.pk}/draft/")
    return ruleset.versions.get(state=RuleSetVersion.State.DRAFT)


def checked(html: str, name: str) -> bool:
    found = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    assert found, name
    return "checked" in found.group()


def test_the_default_hate_rule_shows_that_it_needs_the_model(adam, draft) -> None:
    rule = draft.rules.get(key="hate.protected_characteristics")
    html = signed_in(Client(), adam).get(f"/rules/versions/{draft.pk}/rules/{rule.pk}/").content

    page = html.decode()
    assert checked(page, "needs_model") and not checked(page, "skip_reported")
    options = re.search(r"<textarea[^>]*detector_options[^>]*>(.*?)</textarea>", page, re.S)
    assert options and "needs_model" not in options.group(1)


def test_an_admins_rule_saves_the_options_ticked(adam, draft) -> None:
    client = signed_in(Client(), adam)
    client.post(f"/rules/versions/{draft.pk}/rules/new/", {**NEW_RULE, "needs_model": "on"})

    rule = draft.rules.get(key=NEW_RULE["key"])
    assert rule.params["needs_model"] is True and "skip_reported" not in rule.params

    client.post(f"/rules/versions/{draft.pk}/rules/{rule.pk}/", {**NEW_RULE, "skip_reported": "on"})
    rule.refresh_from_db()
    assert rule.params.get("skip_reported") is True and "needs_model" not in rule.params
