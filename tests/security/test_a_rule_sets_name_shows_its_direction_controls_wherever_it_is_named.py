"""A rule set's name, and a rule's, is an admin's text: a right-to-left override in it would
reorder whatever it is shown in (Django's admin, select lists, log lines). Like an author's or a
route's, their ``str`` shows each direction control as a visible token; the stored name is kept
as it was typed."""

from __future__ import annotations

import pytest

from rules.models import Rule, RuleSet, RuleSetVersion

pytestmark = pytest.mark.django_db

SPOOFED = "Council \u202enimda\u202c rules"
SHOWN = "Council ⟨U+202E⟩nimda⟨U+202C⟩ rules"


def test_a_rule_sets_str_shows_its_direction_controls_as_tokens() -> None:
    ruleset = RuleSet.objects.create(name=SPOOFED)

    assert str(ruleset) == SHOWN
    assert RuleSet.objects.get(pk=ruleset.pk).name == SPOOFED


def test_a_versions_and_a_rules_str_show_them_too() -> None:
    version = RuleSetVersion.objects.create(ruleset=RuleSet.objects.create(name=SPOOFED), number=1)
    rule = Rule(version=version, key="abuse.spoof", name="Swear\u202ewords")

    assert str(version) == f"{SHOWN} v1 (draft)"
    assert str(rule) == "Swear⟨U+202E⟩words (abuse.spoof)"
