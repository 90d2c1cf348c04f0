"""A rule's name (typed by an admin, copied onto every flag it raises) shows its direction
controls as visible tokens where officers and admins read it: on the page that asks before a rule
is removed from a draft, and in the item page's list of rules that matched a comment."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.models import Comment, Flag
from rules.models import RuleSetVersion
from tests.factories import CommentFactory
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db

SPOOF = "Safe \u202eevom ot kcolb\u202c words"


def test_the_remove_page_shows_the_override_as_a_token(adam) -> None:
    ruleset = bananas_ruleset()
    client = signed_in(Client(), adam)
    client.post(f"/rules/{ruleset.pk}/draft/")
    draft = ruleset.versions.get(state=RuleSetVersion.State.DRAFT)
    rule = draft.rules.get()
    rule.name = SPOOF
    rule.save()

    page = client.post(f"/rules/versions/{draft.pk}/rules/{rule.pk}/delete/").content.decode()

    assert "\u202e" not in page
    assert "Safe ⟨U+202E⟩evom ot kcolb⟨U+202C⟩ words" in page


def test_the_item_page_names_the_rule_with_the_override_as_a_token(olivia) -> None:
    comment = CommentFactory(text="hello there", status=Comment.Status.REVIEW)
    Flag.objects.create(
        comment=comment,
        ruleset_version=1,
        rule_key="abuse.custom",
        rule_name=SPOOF,
        category="abuse",
        severity=3,
        outcome="review",
        spans=[[0, 5]],
    )

    page = signed_in(Client(), olivia).get(f"/queue/{comment.pk}/").content.decode()

    assert "\u202e" not in page
    assert "Safe ⟨U+202E⟩evom ot kcolb⟨U+202C⟩ words" in page
