"""The pure rules engine: compile a rule set once, evaluate comment text against it.

No database, no Django: a rule set is data (``RuleSetSpec``), compiled into matchers that run
on folded views of the text and report, for each rule that matches, the rule, its version, its
category and the character spans in the original text. See ``docs/rules-engine.md``.
"""

from rules.engine.compiler import CompiledRuleSet, compile_ruleset, validate_rule
from rules.engine.defaults import default_ruleset_spec, pre_election_ruleset_spec
from rules.engine.repetition import RepetitionTracker
from rules.engine.types import (
    CATEGORIES,
    OUTCOMES,
    ROUTES,
    RULE_KINDS,
    Context,
    Match,
    RuleError,
    RuleSetSpec,
    RuleSpec,
)

__all__ = [
    "CATEGORIES",
    "OUTCOMES",
    "ROUTES",
    "RULE_KINDS",
    "CompiledRuleSet",
    "Context",
    "Match",
    "RepetitionTracker",
    "RuleError",
    "RuleSetSpec",
    "RuleSpec",
    "compile_ruleset",
    "default_ruleset_spec",
    "pre_election_ruleset_spec",
    "validate_rule",
]
