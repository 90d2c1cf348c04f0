"""The note on each shipped rule set's version 1 is read by council admins on the rule set's
page: it says what the version is, without the project's own jargon."""

from __future__ import annotations

import pytest
from django.test import Client

from rules.models import RuleSetVersion
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_version_one_of_each_shipped_rule_set_has_a_plain_note(adam) -> None:
    versions = RuleSetVersion.objects.filter(number=1).select_related("ruleset")
    assert versions.count() == 2
    for version in versions:
        assert version.note == "The rules as shipped with the console"
        page = signed_in(Client(), adam).get(f"/rules/{version.ruleset_id}/").content.decode()
        assert "The rules as shipped with the console" in page
        assert "seeds" not in page
