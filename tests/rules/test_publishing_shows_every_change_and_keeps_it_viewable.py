"""The publish review shows the whole change to the rule set: the new rules' words and patterns,
what a removed rule looked for, each changed field, and detector settings key by key. After
publishing, the same changes stay readable (they answered 403) for admins and managers."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from accounts.audit import SystemActor
from rules.actions import do_delete_rule, do_save_rule, do_save_version_settings, do_start_draft
from rules.models import RuleSetVersion
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
    rule_fields,
)

pytestmark = pytest.mark.django_db
ACTOR = SystemActor.system("test")
FRUIT = [
    "apples",
    "apricots",
    "blackberries",
    "cherries",
    "damsons",
    "elderberries",
    "figs",
    "gooseberries",
    "greengages",
    "quinces",
    "raspberries",
    "rhubarb",
]


@pytest.fixture
def draft() -> RuleSetVersion:
    ruleset = bananas_ruleset()
    version = do_start_draft(ruleset, actor=ACTOR)
    do_save_rule(
        version,
        key="fruit-orchard",
        fields=rule_fields("Orchard fruit", "words", {"words": FRUIT}),
        actor=ACTOR,
    )
    do_save_rule(
        version,
        key="fruit-prices",
        fields=rule_fields("Fruit prices", "regex", {"pattern": r"£\d+ (?:a|per) (?:kilo|kg)"}),
        actor=ACTOR,
    )
    do_delete_rule(version.rules.get(key="fruit-bananas"), actor=ACTOR)
    do_save_version_settings(version, {"flood_threshold": 8}, actor=ACTOR)
    return version


def _assert_shows_every_change(page: str) -> None:
    page = html.unescape(page)
    assert "Added (2)" in page
    for word in FRUIT:
        assert word in page
    assert r"£\d+ (?:a|per) (?:kilo|kg)" in page
    assert "Removed (1)" in page
    assert "Bananas" in page and "bananas" in page  # what the removed rule looked for
    assert "flood_threshold" in page and "8" in page


def test_the_publish_review_shows_the_new_rules_words_and_patterns(adam, draft) -> None:
    page = signed_in(Client(), adam).get(f"/rules/versions/{draft.pk}/publish/")
    assert page.status_code == 200
    _assert_shows_every_change(page.content.decode())


def test_after_publishing_the_changes_stay_viewable(adam, maya, draft) -> None:
    admin = signed_in(Client(), adam)
    published = admin.post(f"/rules/versions/{draft.pk}/publish/", {"note": "More fruit"})
    assert published.status_code == 302

    again = admin.get(f"/rules/versions/{draft.pk}/publish/")
    assert again.status_code == 302
    assert again["Location"] == f"/rules/versions/{draft.pk}/changes/"
    for client in (admin, signed_in(Client(), maya)):
        changes = client.get(f"/rules/versions/{draft.pk}/changes/")
        assert changes.status_code == 200
        _assert_shows_every_change(changes.content.decode())
        assert "Compared with version 1" in changes.content.decode()
        assert "More fruit" in changes.content.decode()


def test_a_later_version_is_compared_with_the_one_it_replaced(adam, draft) -> None:
    admin = signed_in(Client(), adam)
    admin.post(f"/rules/versions/{draft.pk}/publish/", {"note": "More fruit"})
    third = do_start_draft(draft.ruleset, actor=ACTOR)
    do_delete_rule(third.rules.get(key="fruit-prices"), actor=ACTOR)
    admin.post(f"/rules/versions/{third.pk}/publish/", {"note": "No prices"})

    second = html.unescape(admin.get(f"/rules/versions/{draft.pk}/changes/").content.decode())
    assert "Compared with version 1" in second and "Added (2)" in second
    latest = html.unescape(admin.get(f"/rules/versions/{third.pk}/changes/").content.decode())
    assert "Compared with version 2" in latest
    assert "Removed (1)" in latest and "Added (" not in latest


def test_a_published_version_cannot_be_published_again(adam, draft) -> None:
    admin = signed_in(Client(), adam)
    admin.post(f"/rules/versions/{draft.pk}/publish/", {"note": "More fruit"})
    assert admin.post(f"/rules/versions/{draft.pk}/publish/", {"note": "Again"}).status_code == 403
