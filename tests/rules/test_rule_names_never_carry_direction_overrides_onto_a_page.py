"""A rule's name is typed by an admin, so it can carry a right-to-left override: the draft's page
and the messages after saving or removing a rule show it as a visible token, as the rule's own
pages already do, so "RLO ‮nimda‬" never reads as "RLO admin"."""

from __future__ import annotations

import pytest
from django.test import Client

from rules.models import RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db

RLO = "\u202e"
SPOOFED = f"Bananas {RLO}nimda"
TOKEN = "⟨U+202E⟩"


@pytest.fixture
def draft(adam) -> RuleSetVersion:
    ruleset = bananas_ruleset()
    signed_in(Client(), adam).post(f"/rules/{ruleset.pk}/draft/")
    version = ruleset.versions.get(state=RuleSetVersion.State.DRAFT)
    version.rules.update(name=SPOOFED)
    return version


def test_the_drafts_page_shows_the_override_in_a_rule_name_as_a_token(adam, draft) -> None:
    page = signed_in(Client(), adam).get(f"/rules/versions/{draft.pk}/").content.decode()

    assert RLO not in page
    assert f"Bananas {TOKEN}nimda" in page


def test_the_message_after_removing_a_rule_shows_the_override_as_a_token(adam, draft) -> None:
    rule = draft.rules.get()

    page = (
        signed_in(Client(), adam)
        .post(
            f"/rules/versions/{draft.pk}/rules/{rule.pk}/delete/",
            {"confirmed": "yes"},
            follow=True,
        )
        .content.decode()
    )

    assert not draft.rules.exists()
    assert RLO not in page
    assert f"Removed the rule “Bananas {TOKEN}nimda” from the draft." in page


def test_the_rule_set_pages_show_the_override_in_its_name_as_a_token(adam, draft) -> None:
    ruleset = draft.ruleset
    ruleset.name = f"Council {RLO}tes"
    ruleset.save(update_fields=["name"])
    client = signed_in(Client(), adam)
    for path in (
        "/rules/",
        f"/rules/{ruleset.pk}/",
        f"/rules/{ruleset.pk}/statistics/",
        f"/rules/versions/{draft.pk}/",
    ):
        page = client.get(path).content.decode()
        assert RLO not in page, path
        assert f"Council {TOKEN}tes" in page, path


def test_the_message_after_creating_a_rule_set_shows_the_override_as_a_token(adam) -> None:
    response = signed_in(Client(), adam).post(
        "/rules/", {"name": f"Council {RLO}tes", "description": ""}, follow=True
    )

    page = response.content.decode()
    assert RLO not in page
    assert f"Created “Council {TOKEN}tes” with an empty draft." in page
