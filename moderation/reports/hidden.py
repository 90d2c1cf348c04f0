"""Comments hidden and removed in the period, per channel and per reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, FilteredRelation, Q, QuerySet

from moderation.models import Channel, ModerationAction
from moderation.reports.period import ReportPeriod, category_label, standing_actions

NO_RULE_LABEL = "No rule matched (an officer's judgement)"
HIDING_KINDS = (ModerationAction.Kind.HIDE, ModerationAction.Kind.REMOVE)


@dataclass(frozen=True)
class HiddenRow:
    """Comments hidden or removed on one channel (for one reason), each comment counted once
    per column: a comment a rule held and an officer then removed is in both."""

    channel_id: int
    label: str  # the channel, with its platform
    reason: str | None  # a category; None when no rule asked for anything
    by_rules: int
    by_people: int
    removed: int
    comments: int

    @property
    def reason_label(self) -> str:
        return NO_RULE_LABEL if self.reason is None else category_label(self.reason)


def _hiding_actions(period: ReportPeriod) -> QuerySet[ModerationAction]:
    """Hides and removals that stand: a hide withdrawn, failed or taken back hid nothing."""
    return standing_actions(period).filter(kind__in=HIDING_KINDS, comment__isnull=False)


def _hidden_counts() -> dict[str, Count]:
    hide, person = Q(kind=ModerationAction.Kind.HIDE), Q(actor__isnull=False)
    return {
        "by_rules": Count("comment_id", distinct=True, filter=hide & ~person),
        "by_people": Count("comment_id", distinct=True, filter=hide & person),
        "removed": Count("comment_id", distinct=True, filter=Q(kind=ModerationAction.Kind.REMOVE)),
        "comments": Count("comment_id", distinct=True),
    }


def hidden_per_channel(
    period: ReportPeriod, channels: dict[int, Channel]
) -> tuple[list[HiddenRow], list[HiddenRow]]:
    """(per channel, per channel and reason): hides and removals requested in the period that
    stand.

    The reason is the category of each live flag that asked for something (record-only and
    shadow matches are not reasons); a comment with several is counted under each.
    """
    actions = _hiding_actions(period)
    totals = actions.values("channel_id").annotate(**_hidden_counts()).order_by()
    reasons = (
        actions.annotate(
            acting=FilteredRelation(
                "comment__flags",
                condition=Q(comment__flags__shadow=False) & ~Q(comment__flags__outcome="none"),
            )
        )
        .values("channel_id", "acting__category")
        .annotate(**_hidden_counts())
        .order_by()
    )

    def row(found: Mapping[str, Any], reason: str | None = None) -> HiddenRow:
        channel = channels.get(found["channel_id"])
        return HiddenRow(
            channel_id=found["channel_id"],
            label=str(channel) if channel is not None else f"Channel {found['channel_id']}",
            reason=reason,
            by_rules=found["by_rules"],
            by_people=found["by_people"],
            removed=found["removed"],
            comments=found["comments"],
        )

    per_channel = sorted((row(found) for found in totals), key=lambda r: (-r.comments, r.label))
    order = {r.channel_id: index for index, r in enumerate(per_channel)}
    by_reason = sorted(
        (row(found, found["acting__category"]) for found in reasons),
        key=lambda r: (order.get(r.channel_id, 0), r.reason is None, -r.comments, r.reason_label),
    )
    return per_channel, by_reason
