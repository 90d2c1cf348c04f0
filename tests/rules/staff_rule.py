"""The default staff-criticism rule alone, compiled with given settings: the set-up the
staff-criticism tests share."""

from __future__ import annotations

from typing import Any

from rules.engine import RuleSetSpec, RuleSpec, compile_ruleset
from rules.engine.compiler import CompiledRuleSet

STAFF_RULE = RuleSpec(
    key="staff_criticism.named_people",
    name="Staff criticism",
    category="staff_criticism",
    severity=2,
    outcome="review",
    kind="detector",
    params={"detector": "staff_criticism"},
)


def staff_engine(settings: dict[str, Any] | None = None) -> CompiledRuleSet:
    return compile_ruleset(RuleSetSpec("test", 1, (STAFF_RULE,), settings=settings or {}))
