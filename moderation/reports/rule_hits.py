"""Live matches per rule on the period's comments, and how many an officer undid."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from moderation.models import Flag
from moderation.reports.period import ReportPeriod, category_label, comments_in, share


@dataclass(frozen=True)
class RuleRow:
    rule_key: str
    rule_name: str
    category: str
    hits: int
    reversed: int

    @property
    def reversal_rate(self) -> float | None:
        return share(self.reversed, self.hits)

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def rule_hits(period: ReportPeriod) -> list[RuleRow]:
    """Live matches per rule on the period's comments, and how many an officer undid."""
    rows = (
        Flag.objects.filter(shadow=False, comment__in=comments_in(period))
        .values("rule_key", "category")
        .annotate(
            rule_name=Max("rule_name"),
            hits=Count("id"),
            reversed_count=Count("id", filter=Q(reversed=True)),
        )
        .order_by("-hits", "rule_key")
    )
    return [
        RuleRow(
            row["rule_key"], row["rule_name"], row["category"], row["hits"], row["reversed_count"]
        )
        for row in rows
    ]
