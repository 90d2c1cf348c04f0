"""Acting without a person needs proven precision: the gate on rules' ``auto_hide``.

A rule keeps ``auto_hide`` only when ``data/rule_precision.json`` records, for its key, a
precision of at least ``AUTO_HIDE_PRECISION`` over at least ``MIN_FLAGGED`` flags on the
validation split (``bench/rule_precision``
measures and writes it) and the rule is still the one measured: its fingerprint (kind,
category and parameters) matches. Any other rule asking for ``auto_hide`` (an admin's own rule,
an edited default, a rule that has not reached 0.95) goes to review instead, with its
explanation saying why. The learned stage has its own gate (``learned/stage.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from rules.engine.types import RuleSpec

logger = logging.getLogger(__name__)

AUTO_HIDE_PRECISION = 0.95
# Fewer flags than this on validation show nothing either way (4 of 4 is not 0.95 proven).
MIN_FLAGGED = 20
PRECISION_PATH = Path(__file__).parent / "data" / "rule_precision.json"


def fingerprint(rule: RuleSpec) -> str:
    """What the rule looks for, as a short digest (its name and wording do not count)."""
    shape = {"kind": rule.kind, "category": rule.category, "params": rule.params}
    text = json.dumps(shape, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def recorded() -> Mapping[str, Mapping[str, Any]]:
    try:
        data = json.loads(PRECISION_PATH.read_text("utf-8"))
    except (OSError, ValueError):
        logger.exception("cannot read %s: no rule may hide on its own", PRECISION_PATH)
        return {}
    rules = data.get("rules") if isinstance(data, Mapping) else None
    return rules if isinstance(rules, Mapping) else {}


def proven_precision(rule: RuleSpec) -> float | None:
    """The rule's recorded validation precision, if it is the rule that was measured."""
    row = recorded().get(rule.key)
    if not isinstance(row, Mapping) or row.get("fingerprint") != fingerprint(rule):
        return None
    flagged = row.get("flagged", MIN_FLAGGED)
    if not isinstance(flagged, int) or flagged < MIN_FLAGGED:
        return None
    value = row.get("precision")
    return float(value) if isinstance(value, int | float) else None


def gate_auto_hide(rule: RuleSpec) -> RuleSpec:
    """The rule as it will act: ``auto_hide`` becomes review unless its precision is proven."""
    if rule.outcome != "auto_hide":
        return rule
    precision = proven_precision(rule)
    if precision is not None and precision >= AUTO_HIDE_PRECISION:
        return rule
    shown = (
        f"not measured on {MIN_FLAGGED} or more flags" if precision is None else f"{precision:.2f}"
    )
    note = (
        f" [Reviewed, not hidden automatically: auto-hide needs precision of at least "
        f"{AUTO_HIDE_PRECISION} on validation; this rule's is {shown}.]"
    )
    return dataclasses.replace(rule, outcome="review", explanation=rule.explanation + note)
