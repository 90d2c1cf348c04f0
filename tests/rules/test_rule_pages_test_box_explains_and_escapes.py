"""The test box: text evaluated against a draft or live version, every match explained and
highlighted, and hostile text shown escaped."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from rules.actions import do_start_draft
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import (  # plain_static_files: autouse
    bananas_ruleset,
    plain_static_files,  # noqa: F401
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> I love b\u200ban4nas \u202etxet\u202c'


def test_a_match_is_highlighted_and_explained(adam) -> None:
    version = bananas_ruleset().versions.get()
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{version.pk}/test/", {"text": "Bananas are great"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="cat-off_topic"' in content
    assert "fruit-bananas" in content
    assert "1 rule would act" in content


def test_hostile_text_is_escaped_and_disguises_are_still_caught(maya) -> None:
    draft = do_start_draft(bananas_ruleset(), actor=SystemActor.system("test"))
    response = signed_in(Client(), maya).post(
        f"/rules/versions/{draft.pk}/test/", {"text": HOSTILE}
    )
    content = response.content.decode()
    assert "<script>" not in content
    assert "&lt;script&gt;" in content
    assert "<mark" in content
    assert "U+202E" in content


def test_clean_text_says_nothing_was_found(adam) -> None:
    version = bananas_ruleset().versions.get()
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{version.pk}/test/", {"text": "When is the bin day?"}
    )
    assert b"Nothing found" in response.content


def test_officers_cannot_use_the_test_box(olivia) -> None:
    version = bananas_ruleset().versions.get()
    response = signed_in(Client(), olivia).post(
        f"/rules/versions/{version.pk}/test/", {"text": "bananas"}
    )
    assert response.status_code == 403
