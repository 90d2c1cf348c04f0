"""What each officer did in the period, from the audit log."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from accounts.models import AuditEvent
from moderation.reports.period import ReportPeriod

# What people do, as the audit log names it; the report's per-officer columns, in this order.
OFFICER_EVENTS: dict[str, str] = {
    "moderation.comment.hidden": "Hidden",
    "moderation.comment.removed": "Removed",
    "moderation.comment.replied": "Replied",
    "moderation.comment.approved": "Approved",
    "moderation.comment.ignored": "Ignored",
    "moderation.comment.escalated": "Escalated",
    "moderation.comment.unhidden": "Unhidden",
    "moderation.author.block_requested": "Blocked",
    "moderation.escalation.closed": "Escalations closed",
    "moderation.note.added": "Notes",
    "moderation.comment.action_undone": "Undone",
    "moderation.comment.reopened": "Reopened",
    "moderation.comment.personal_data_revealed": "Personal data revealed",
}


@dataclass(frozen=True)
class OfficerRow:
    actor_id: int | None
    label: str
    counts: dict[str, int]  # event type -> count, every OFFICER_EVENTS key present

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def actions_per_officer(period: ReportPeriod) -> list[OfficerRow]:
    """What each person did in the period, from the audit log (the record of who did what)."""
    events = AuditEvent.objects.filter(
        actor_kind=AuditEvent.ActorKind.USER,
        occurred_at__gte=period.start_at,
        occurred_at__lt=period.end_at,
        event_type__in=list(OFFICER_EVENTS),
    )
    if period.channel_id is not None:
        events = events.filter(channel_id=period.channel_id)
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OFFICER_EVENTS, 0))
    labels: dict[int | None, tuple[int, str]] = {}
    for row in events.values("actor_id", "actor_label", "event_type").annotate(n=Count("id")):
        actor_id = row["actor_id"]
        counts[actor_id][row["event_type"]] += row["n"]
        # A person's label can change (a new surname); name them as most of their events do.
        if row["n"] > labels.get(actor_id, (0, ""))[0]:
            labels[actor_id] = (row["n"], row["actor_label"])
    rows = [OfficerRow(actor_id, labels[actor_id][1], counts[actor_id]) for actor_id in counts]
    return sorted(rows, key=lambda row: (-row.total, row.label))
