"""Every learned category's score for one text, beside the threshold a rule-set version sets:
what the test box shows, so an admin sees how near a comment came, not only what flagged."""

from __future__ import annotations

from dataclasses import dataclass

from rules.engine.compiler import CompiledRuleSet
from rules.engine.document import Document
from rules.engine.learned.stage import CATEGORY_POLICY


@dataclass(frozen=True)
class CategoryScore:
    category: str
    label: str
    score: float
    threshold: float | None  # None: the version never flags this category by the model

    @property
    def flags(self) -> bool:
        return self.threshold is not None and self.score >= self.threshold

    @property
    def name(self) -> str:
        return self.category.replace("_", " ")


def category_scores(compiled: CompiledRuleSet, text: str) -> list[CategoryScore]:
    """Highest first; [] when the version does not use the learned stage."""
    stage = compiled.learned
    if stage is None:
        return []
    scores = stage.model.scores(stage.extract(Document(text)))
    found = [
        CategoryScore(
            category=category,
            label=CATEGORY_POLICY[category][0],
            score=round(float(scores[stage.model.index[category]]), 4),
            threshold=stage.thresholds.get(category),
        )
        for category in stage.model.categories
        if category in CATEGORY_POLICY
    ]
    return sorted(found, key=lambda s: -s.score)
