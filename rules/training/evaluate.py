"""Scoring predictions against labels, and running the rules over a source as a stream.

Shared by the training script (which picks the model's thresholds on the validation split) and
``bench/quality.py`` (which reports the same figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rules.engine import RepetitionTracker, RuleSetSpec, compile_ruleset, default_ruleset_spec
from rules.engine.compiler import CompiledRuleSet
from rules.engine.learned.implied import without_hate_findings_the_model_does_not_share
from rules.engine.types import Match, categories_of
from rules.training.corpora import council_settings
from rules.training.items import Item


@dataclass
class Score:
    """Counts of a binary prediction against labels."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


def score(
    items: Iterable[Item],
    predicted: Mapping[str, Iterable[str]] | Callable[[Item], set[str]],
    label: str,
) -> Score:
    """Precision and recall of ``label`` over the items that label it."""
    result = Score()
    for item in items:
        if label not in item.labels:
            continue
        found = predicted(item) if callable(predicted) else set(predicted.get(item.uid, ()))
        result.add(label in found, item.positive(label))
    return result


SpecFor = Callable[[Mapping[str, Any]], RuleSetSpec]


def stream_matches(
    items: Sequence[Item],
    wanted: set[str] | None = None,
    *,
    spec_for: SpecFor = default_ruleset_spec,
    settings_by_org: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, list[Match]]:
    """Each wanted item's matches from the rule set, fed in source order with a repetition
    tracker per stream (so repeats are judged as the engine judges them in production); items
    of no stream are judged one at a time. ``wanted`` None: every item."""
    compiled: dict[str, CompiledRuleSet] = {}

    def ruleset(org: str) -> CompiledRuleSet:
        if org not in compiled:
            settings = (settings_by_org or {}).get(org) or {}
            compiled[org] = compile_ruleset(spec_for(settings))
        return compiled[org]

    trackers: dict[str, RepetitionTracker] = {}
    found: dict[str, list[Match]] = {}
    for item in sorted(items, key=lambda item: (item.stream, item.order)):
        if item.stream:
            tracker = trackers.setdefault(item.stream, RepetitionTracker())
            if wanted is None or item.uid in wanted:
                context = tracker.context_for(item.text, item.author)
                found[item.uid] = ruleset(item.org).evaluate(item.text, context)
            tracker.remember(item.text, item.author)
        elif wanted is None or item.uid in wanted:
            found[item.uid] = ruleset(item.org).evaluate(item.text)
    return found


def rules_categories(matches: Iterable[Match], text: str) -> set[str]:
    """The categories the rules alone flag in ``matches`` (from ``rules_only_spec``), as the
    shipped engine reports them beside the learned stage, so that training's "rules OR model"
    is what ships: no signal (a campaign, the same post by several people, is in no category),
    and no hate finding resting on loose slurs alone or in counter-speech (``implied``: it
    ships only where the model flags hate too)."""
    return categories_of(without_hate_findings_the_model_does_not_share(list(matches), text))


def settings_for_source(source: str) -> dict[str, dict[str, Any]]:
    """The organisation settings a source's comments assume (council sources only)."""
    return council_settings(source) if source.startswith("council_") else {}


def rules_only_spec(settings: Mapping[str, Any]) -> RuleSetSpec:
    """The default rule set with the learned stage switched off: the rules alone."""
    return default_ruleset_spec({**settings, "model": {"enabled": False}})
