"""The publish review shows each added, removed or changed rule in full: its options in the
words of the rule's form ("Match whole words only: Yes"), not as stored (whole_word True)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from rules.actions import do_delete_rule, do_start_draft
from rules.compile import default_ruleset
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_a_removed_word_list_rule_shows_its_options_in_words(adam) -> None:
    ruleset = default_ruleset()
    assert ruleset is not None
    draft = do_start_draft(ruleset, actor=SystemActor.system("test"))
    copyright_rule = draft.rules.get(key="copyright.claims")
    assert copyright_rule.params["whole_word"] is True
    do_delete_rule(copyright_rule, actor=SystemActor.system("test"))
    page = signed_in(Client(), adam).get(f"/rules/versions/{draft.pk}/publish/").content.decode()
    removed = page.split("Removed (1)", 1)[1]
    assert '<dt>Match whole words only</dt><dd class="comment-text">Yes</dd>' in removed
    assert "whole_word" not in page
    assert ">True<" not in page.replace(" ", "")
