"""The rules engine's vocabulary: categories, outcomes, rule specs, matches and context.

These names are an interface shared with the Django models, the queue, reports and exports
(see DESIGN.md), so they are spelled exactly as the design's table spells them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "abuse",
    "harassment",
    "hate",
    "personal_data",
    "spam",
    "malicious_link",
    "political",
    "staff_criticism",
    "foi_request",
    "subject_access_request",
    "complaint",
    "self_harm",
    "impersonation",
    "off_topic",
    "misleading",
    "copyright",
)
OUTCOMES: tuple[str, ...] = ("review", "hold", "auto_hide", "escalate", "route", "none")
ROUTES: tuple[str, ...] = (
    "manager",
    "foi",
    "subject_access",
    "complaints",
    "safeguarding",
    "legal",
    "crisis",
)
RULE_KINDS: tuple[str, ...] = ("words", "regex", "detector")

# A signal is a finding that is not a policy category but tells the queue something. The only
# one: a campaign, the same post by several people (lawful speech, which writers label clean),
# found by a spam rule named as a campaign (``spam.campaign``, or any spam rule whose key ends
# in ``.campaign``); its match goes to review, grouped, and is in no category.
CAMPAIGN = "campaign"
SIGNALS: tuple[str, ...] = (CAMPAIGN,)
# Outcomes a signal never has: it is for people to see, never hidden without one.
HIDING_OUTCOMES: frozenset[str] = frozenset({"hold", "auto_hide"})

# Outcomes that send an item somewhere, so the rule must say where.
OUTCOMES_NEEDING_ROUTE: frozenset[str] = frozenset({"escalate", "route"})
MIN_SEVERITY = 1
MAX_SEVERITY = 5


class RuleError(ValueError):
    """A rule cannot be compiled; the message names the rule and says what is wrong."""


@dataclass(frozen=True)
class RuleSpec:
    """One rule as data: what to look for, how bad it is and what should happen."""

    key: str
    name: str
    category: str
    severity: int
    outcome: str
    kind: str
    params: Mapping[str, Any]
    route: str = ""
    rule_id: int | None = None
    enabled: bool = True
    explanation: str = ""


@dataclass(frozen=True)
class RuleSetSpec:
    """A versioned set of rules plus the organisation settings its detectors read."""

    name: str
    version: int
    rules: tuple[RuleSpec, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """One rule's verdict on one text, with every span it matched in the original text."""

    rule_key: str
    rule_name: str
    rule_id: int | None
    ruleset_version: int
    category: str
    severity: int
    outcome: str
    route: str
    spans: tuple[tuple[int, int], ...]
    explanation: str
    detector: str = ""
    # Set by the learned stage only: the calibrated score (0 to 1) and the words that drove it.
    score: float | None = None
    terms: tuple[str, ...] = ()
    # A signal (``SIGNALS``) instead of a category flag; its ``category`` is then "".
    signal: str = ""


def signal_of(rule: RuleSpec) -> str:
    """The signal a rule's matches are, or "" for a category flag: a spam rule named as a
    campaign (its key's last part) finds campaigns, as the default ``spam.campaign`` does."""
    if rule.category == "spam" and rule.key.rsplit(".", 1)[-1] == CAMPAIGN:
        return CAMPAIGN
    return ""


def categories_of(matches: Iterable[Match]) -> set[str]:
    """The policy categories the matches flag: every consumer of the engine (the console,
    ``classify``, training, the benchmarks) reads a comment's categories here, so a signal is
    never counted as a category."""
    return {match.category for match in matches if not match.signal}


@dataclass(frozen=True)
class Context:
    """What the engine may know besides the text; every field is optional."""

    author_handle: str = ""
    author_name: str = ""
    author_recent_texts: Sequence[str] = ()
    others_recent_texts: Sequence[str] = ()
    author_recent_count: int = 0


EMPTY_CONTEXT = Context()


@dataclass(frozen=True, slots=True)
class Finding:
    """What a matcher found: a span in the original text and a short sub-label.

    `severity_delta` lets a detector grade its own findings below the rule's severity (a
    reported slur is less severe than a slur aimed at someone); it is never positive, so an
    admin's severity is a ceiling. `note` explains evidence that is not in the text (a flood
    of comments, a look-alike handle); such findings may have an empty span.
    """

    start: int
    end: int
    detector: str = ""
    severity_delta: int = 0
    note: str = ""
