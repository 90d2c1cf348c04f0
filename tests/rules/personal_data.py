"""The words the rules-only engine flags as personal data in a text, for the personal-data tests
(the rules alone: these tests are about the detector, not the learned stage)."""

from __future__ import annotations

from rules.engine import compile_ruleset
from rules.training.evaluate import rules_only_spec

RULES = compile_ruleset(rules_only_spec({}))


def personal_data(text: str) -> list[str]:
    return [
        text[start:end]
        for match in RULES.evaluate(text)
        if match.category == "personal_data"
        for start, end in match.spans
    ]
