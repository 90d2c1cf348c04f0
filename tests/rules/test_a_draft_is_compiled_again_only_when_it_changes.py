"""The test box compiles the version it tests. A draft can change between two tests, so its
compilation is kept only for the draft exactly as it is: testing an unchanged draft again
reuses it (compiling takes about half a second), and any change to a rule or to the draft's
settings compiles it afresh."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.audit import SystemActor
from rules import compile as compiling
from rules.actions import do_delete_rule, do_save_version_settings, do_start_draft
from rules.engine import Context
from rules.models import RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    made: list[Any] = []
    real = compiling.compile_ruleset

    def counted(spec: Any) -> Any:
        made.append(spec)
        return real(spec)

    monkeypatch.setattr(compiling, "compile_ruleset", counted)
    monkeypatch.setattr(compiling, "_CACHE", type(compiling._CACHE)())
    return made


def test_an_unchanged_draft_is_compiled_once_and_a_changed_one_again(compilations) -> None:
    actor = SystemActor.system("test")
    draft = do_start_draft(RuleSet.objects.get(is_default=True), actor=actor)
    first = compiling.compiled_version(draft)
    assert compiling.compiled_version(draft) is first
    assert len(compilations) == 1

    threats = draft.rules.get(key="harassment.threats")
    text = "I know where you live"
    assert any(m.rule_key == "harassment.threats" for m in first.evaluate(text, Context()))
    do_delete_rule(threats, actor=actor)
    draft.refresh_from_db()
    second = compiling.compiled_version(draft)
    assert len(compilations) == 2
    assert not any(m.rule_key == "harassment.threats" for m in second.evaluate(text, Context()))

    do_save_version_settings(
        draft, {**draft.settings, "blocked_domains": ["bad.example"]}, actor=actor
    )
    draft.refresh_from_db()
    compiling.compiled_version(draft)
    assert len(compilations) == 3
