"""Removing a rule from a draft asks first, on a page of its own (no JavaScript needed): it names
the rule and says what it looks for, and only "Yes, remove" removes it; "Keep it" goes back."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from rules.models import RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(adam) -> RuleSetVersion:
    ruleset = bananas_ruleset()
    signed_in(Client(), adam).post(f"/rules/{ruleset.pk}/draft/")
    return ruleset.versions.get(state=RuleSetVersion.State.DRAFT)


def test_the_first_press_asks_and_removes_nothing(adam, draft) -> None:
    rule = draft.rules.get()
    address = f"/rules/versions/{draft.pk}/rules/{rule.pk}/delete/"

    response = signed_in(Client(), adam).post(address)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Remove the rule “{rule.name}” from the draft?" in page
    assert 'name="confirmed" value="yes"' in page
    assert f'href="/rules/versions/{draft.pk}/"' in page  # Keep it: back to the draft
    assert draft.rules.filter(pk=rule.pk).exists()
    assert not AuditEvent.objects.filter(event_type="rules.rule.deleted").exists()


def test_confirming_removes_it_and_says_so(adam, draft) -> None:
    rule = draft.rules.get()
    client = signed_in(Client(), adam)

    response = client.post(
        f"/rules/versions/{draft.pk}/rules/{rule.pk}/delete/", {"confirmed": "yes"}, follow=True
    )

    assert not draft.rules.exists()
    assert f"Removed the rule “{rule.name}” from the draft." in response.content.decode()
