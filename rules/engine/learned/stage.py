"""The learned stage inside a compiled rule set: scores become ``Match``es.

A rule-set version switches it on and tunes it through its settings (``settings["model"]``)::

    {
      "enabled": true,                      # off when the key or the whole block is absent
      "thresholds": {"abuse": 0.62, ...},   # per category; absent -> the model's default
      "disabled": ["political"],            # categories the stage never flags
      "outcomes": {"abuse": "hold", ...}    # per category; absent -> see below
    }

What a model flag does (``outcome_for``): routing categories go where their rules send them
(FOI, subject access and complaints routed to their teams; harassment and self-harm escalated to
safeguarding); everything else goes to review. An admin may ask for "hold" or "auto_hide", but
the stage hides only in categories whose out-of-fold precision at the default threshold, recorded
in the model file, is at least 0.95; otherwise such a flag goes to review. Thresholds below the
default lower that precision, so hiding is allowed only at or above the default threshold.

A political model flag needs a party, a candidate or canvassing, a spam one a few words, a
self-harm one someone in the text or a sign of danger (``implied.MODEL_FLAG_GATES``); and a
flag may imply another: harassment of a named member of staff is staff criticism. The implied
match is the stage's, with the implied category's own outcome and route. (A malicious link is
not spam as well: beside it, a spam flag is dropped, ``implied.LINK_ONLY_SPAM``.)

A model match is told apart from a rule's by ``detector == "model"`` and a ``rule_key`` of
``model.<category>``; it carries the calibrated ``score``, the ``terms`` that drove it and their
``spans`` in the original text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from rules.engine.document import Document
from rules.engine.learned.features import Extracted, extract
from rules.engine.learned.implied import implied_categories, model_flag_allowed
from rules.engine.learned.masks import build_masks
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.engine.types import OUTCOMES, ROUTES, Match

logger = logging.getLogger(__name__)

DETECTOR = "model"
HIDING_OUTCOMES = frozenset({"hold", "auto_hide"})
AUTO_HIDE_PRECISION = 0.95

# Category: (label for officers, severity, default outcome, route).
CATEGORY_POLICY: dict[str, tuple[str, int, str, str]] = {
    "abuse": ("Abusive language", 3, "review", ""),
    "harassment": ("Threats or harassment", 5, "escalate", "safeguarding"),
    "hate": ("Hate speech", 5, "review", ""),
    "personal_data": ("Personal information", 4, "review", ""),
    "spam": ("Spam", 2, "review", ""),
    "malicious_link": ("Suspicious link", 4, "review", ""),
    "political": ("Party politics", 2, "review", ""),
    "staff_criticism": ("Criticism of named staff", 2, "review", ""),
    "foi_request": ("Possible FOI request", 3, "route", "foi"),
    "subject_access_request": ("Possible subject access request", 3, "route", "subject_access"),
    "complaint": ("Possible complaint", 2, "route", "complaints"),
    "self_harm": ("Someone may be at risk", 5, "escalate", "safeguarding"),
}


# Why an implied category is flagged (``implied``), as officers read it.
IMPLIED_BECAUSE = {
    "staff_criticism": "a threat or pile-on aimed at a named member of staff",
}


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> LinearModel | None:
    """The shipped model, loaded once per process; None (and a logged error) if it is missing
    or unreadable, so a broken file switches the stage off rather than stopping the queue."""
    try:
        return LinearModel.load(Path(path))
    except (OSError, ValueError, KeyError):
        logger.exception("cannot load the learned classifiers from %s; stage off", path)
        return None


def model_settings(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    block = settings.get("model") if isinstance(settings, Mapping) else None
    return block if isinstance(block, Mapping) else {}


def validate_model_settings(
    settings: Mapping[str, Any], model: LinearModel | None = None
) -> list[str]:
    """Human-readable problems with ``settings["model"]``; [] if it is usable."""
    block = settings.get("model") if isinstance(settings, Mapping) else None
    if block is None:
        return []
    if not isinstance(block, Mapping):
        return ["model: must be a mapping"]
    known = set(model.categories) if model else set(CATEGORY_POLICY)
    problems = [
        f"model: unknown setting {key!r} (enabled, thresholds, disabled, outcomes)"
        for key in block
        if key not in ("enabled", "thresholds", "disabled", "outcomes")
    ]
    if "enabled" in block and not isinstance(block["enabled"], bool):
        problems.append("model.enabled: must be true or false")
    thresholds = block.get("thresholds", {})
    if not isinstance(thresholds, Mapping):
        problems.append("model.thresholds: must map categories to numbers")
    else:
        for category, value in thresholds.items():
            if category not in known:
                problems.append(f"model.thresholds: {category!r} is not a learned category")
            elif (
                isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1
            ):
                problems.append(f"model.thresholds.{category}: must be a number above 0, up to 1")
    disabled = block.get("disabled", [])
    if not isinstance(disabled, list | tuple) or any(c not in known for c in disabled):
        problems.append("model.disabled: must list learned categories")
    outcomes = block.get("outcomes", {})
    if not isinstance(outcomes, Mapping):
        problems.append("model.outcomes: must map categories to outcomes")
    else:
        for category, outcome in outcomes.items():
            if category not in known:
                problems.append(f"model.outcomes: {category!r} is not a learned category")
            elif outcome not in OUTCOMES:
                problems.append(f"model.outcomes.{category}: {outcome!r} is not an outcome")
    return problems


class LearnedStage:
    """The model with one rule-set version's thresholds and outcomes."""

    def __init__(self, model: LinearModel, settings: Mapping[str, Any]) -> None:
        self.model = model
        self.masks = build_masks(settings)
        block = model_settings(settings)
        defaults: Mapping[str, float] = model.metadata.get("thresholds", {})
        asked = block.get("thresholds") if isinstance(block.get("thresholds"), Mapping) else {}
        disabled = (
            set(block.get("disabled") or ())
            if isinstance(block.get("disabled"), list | tuple)
            else set()
        )
        outcomes = block.get("outcomes") if isinstance(block.get("outcomes"), Mapping) else {}
        self.thresholds: dict[str, float] = {}
        self.outcomes: dict[str, tuple[str, str]] = {}
        for category in model.categories:
            if category in disabled or category not in CATEGORY_POLICY:
                continue
            default = float(defaults.get(category, 0.5))
            value = asked.get(category, default) if asked else default
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                value = default
            if value > 1:  # the training script's "never" threshold
                continue
            self.thresholds[category] = float(value)
            self.outcomes[category] = self.outcome_for(
                category, outcomes.get(category) if outcomes else None, float(value), default
            )
        self._columns = [
            (model.index[category], category, threshold)
            for category, threshold in self.thresholds.items()
        ]

    def outcome_for(
        self, category: str, asked: Any, threshold: float, default_threshold: float
    ) -> tuple[str, str]:
        """(outcome, route) for a model flag in ``category``: see the module docstring."""
        _, _, outcome, route = CATEGORY_POLICY[category]
        if isinstance(asked, str) and asked in OUTCOMES and asked != "none":
            if asked in HIDING_OUTCOMES and not self.may_hide(
                category, threshold, default_threshold
            ):
                return "review", ""
            if asked in ("escalate", "route"):
                return asked, route if route in ROUTES else "manager"
            return asked, ""
        return outcome, route

    def may_hide(self, category: str, threshold: float, default_threshold: float) -> bool:
        """Whether cross-validation showed precision >= 0.95 for this category at its
        threshold."""
        precision = self.model.metadata.get("out_of_fold_precision", {}).get(category, 0.0)
        return precision >= AUTO_HIDE_PRECISION and threshold >= default_threshold

    def extract(self, doc: Document) -> Extracted:
        """The text's features, with the organisation's people, parties and contacts masked."""
        return extract(doc, self.masks)

    def matches(
        self, doc: Document, version: int, ruled: frozenset[str] = frozenset()
    ) -> list[Match]:
        """A match per category whose calibrated score reaches its threshold (a political one
        only with a party, a candidate or canvassing), and one per category the flags imply
        (``implied``), with ``ruled``, the categories the rules flagged, counted as flags."""
        if not self._columns:
            return []
        extracted = self.extract(doc)
        analysis = self.model.analyse(extracted)
        scores = analysis.scores
        found = []
        for k, category, threshold in self._columns:
            value = float(scores[k])
            if value < threshold:
                continue
            if not model_flag_allowed(category, extracted):
                continue
            evidence = self.model.evidence(extracted, category, analysis=analysis)
            quoted = ", ".join(f'"{term}"' for term in evidence.terms[:3])
            found.append(
                self._match(
                    category,
                    version,
                    value,
                    "learned classifier",
                    f"score {value:.2f} from the learned classifier"
                    + (f", driven by {quoted}" if quoted else ""),
                    spans=evidence.spans,
                    terms=evidence.terms,
                )
            )
        flagged = ruled | {match.category for match in found}
        for category in sorted(implied_categories(flagged, extracted)):
            if category in self.outcomes:
                value = float(scores[self.model.index[category]])
                found.append(
                    self._match(category, version, value, "implied", IMPLIED_BECAUSE[category])
                )
        return found

    def _match(
        self,
        category: str,
        version: int,
        score: float,
        kind: str,
        because: str,
        spans: tuple[tuple[int, int], ...] = (),
        terms: tuple[str, ...] = (),
    ) -> Match:
        """The stage's match for ``category``, a model flag or an implied one (``kind``)."""
        label, severity, _, _ = CATEGORY_POLICY[category]
        outcome, route = self.outcomes[category]
        return Match(
            rule_key=f"model.{category}",
            rule_name=f"{label} ({kind})",
            rule_id=None,
            ruleset_version=version,
            category=category,
            severity=severity,
            outcome=outcome,
            route=route,
            spans=spans,
            explanation=f"{label}: {because}",
            detector=DETECTOR,
            score=round(score, 4),
            terms=terms,
        )


def build_stage(settings: Mapping[str, Any], path: str = str(MODEL_PATH)) -> LearnedStage | None:
    """The stage a rule set's settings ask for, or None when it is off (or has no model)."""
    block = model_settings(settings)
    if block.get("enabled") is not True:
        return None
    model = load_model(path)
    return LearnedStage(model, settings) if model is not None else None
