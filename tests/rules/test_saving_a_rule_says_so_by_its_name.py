"""Adding or changing a rule in a draft ends on the version's page with "Saved the rule “…”."
naming it; a rule the engine refuses is not saved and says nothing of the kind."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from rules.models import RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)
from tests.rules.test_rule_pages_edit_a_draft import NEW_RULE

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(adam) -> RuleSetVersion:
    ruleset = bananas_ruleset()
    signed_in(Client(), adam).post(f"/rules/{ruleset.pk}/draft/")
    return ruleset.versions.get(state=RuleSetVersion.State.DRAFT)


def _said(response: Any) -> list[str]:  # a test client response (with its request)
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_adding_a_rule_says_it_was_saved_by_its_name(adam, draft) -> None:
    response = signed_in(Client(), adam).post(f"/rules/versions/{draft.pk}/rules/new/", NEW_RULE)

    assert response.status_code == 302
    assert response["Location"] == f"/rules/versions/{draft.pk}/"
    assert _said(response) == ["Saved the rule “Apples”."]


def test_changing_a_rule_says_it_was_saved_under_its_new_name(adam, draft) -> None:
    rule = draft.rules.get(key="fruit-bananas")

    response = signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/rules/{rule.pk}/",
        {**NEW_RULE, "name": "Bananas and plantains", "words": "bananas\nplantains"},
        follow=True,
    )

    assert "Saved the rule “Bananas and plantains”." in response.content.decode()


def test_a_refused_rule_is_not_said_to_be_saved(adam, draft) -> None:
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/rules/new/",
        {**NEW_RULE, "key": "bad-pattern", "kind": "regex", "pattern": "(a+)+$"},
    )

    assert response.status_code == 400
    assert _said(response) == []
    assert "Saved the rule" not in response.content.decode()
