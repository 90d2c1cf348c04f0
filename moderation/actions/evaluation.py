"""Applying the rules engine's verdicts: flags, status, priority, due time and auto-outcomes.

Automatic outcomes are actions like an officer's, with the rule as the actor: a hold or auto-hide
writes an outbox row, an escalation or statutory route opens an escalation with its deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from accounts.audit import SystemActor, record
from moderation.actions.outbox import queue_platform_action
from moderation.deadlines import deadline_for_route, due_time_for
from moderation.models import (
    Comment,
    EscalationRoute,
    Flag,
    ModerationAction,
    Organisation,
)
from moderation.platforms import capabilities_for

if TYPE_CHECKING:
    from rules.engine import Match

SEVERITY_WEIGHT = 20
ROUTED_OUTCOMES = ("escalate", "route")


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one comment, from every version in force."""

    comment_id: int
    live: Sequence[tuple[int, Match]]  # (ruleset version number, match)
    shadow: Sequence[tuple[int, Match]] = ()


def priority_of(matches: Sequence[Match]) -> int:
    if not matches:
        return 0
    worst = max(m.severity for m in matches)
    routed = any(m.outcome in ROUTED_OUTCOMES for m in matches)
    return worst * SEVERITY_WEIGHT + (10 if routed else 0) + min(len(matches), 5)


def _rule_actor(matches: Sequence[Match]) -> SystemActor:
    worst = max(matches, key=lambda m: m.severity)
    return SystemActor.rule(f"rule {worst.rule_key} v{worst.ruleset_version} ({worst.rule_name})")


def _flag(comment: Comment, version: int, match: Match, *, shadow: bool) -> Flag:
    return Flag(
        comment=comment,
        rule_id=match.rule_id,
        ruleset_version=version,
        rule_key=match.rule_key[:80],
        rule_name=match.rule_name[:120],
        category=match.category,
        severity=match.severity,
        outcome=match.outcome,
        route=match.route,
        detector=match.detector[:40],
        spans=[list(s) for s in match.spans],
        explanation=match.explanation,
        shadow=shadow,
    )


@transaction.atomic
def do_apply_verdicts(verdicts: Sequence[Verdict]) -> int:
    """Record each verdict once; comments already evaluated are skipped (job retries are safe)."""
    ids = [v.comment_id for v in verdicts]
    comments = {
        c.pk: c
        for c in Comment.objects.select_for_update()
        .filter(pk__in=ids, status=Comment.Status.NEW)
        .select_related("channel", "author")
    }
    org = Organisation.current()
    routes = {r.key: r for r in EscalationRoute.objects.all()}
    now = timezone.now()
    flags: list[Flag] = []
    clean_ids: list[int] = []
    for verdict in verdicts:
        comment = comments.get(verdict.comment_id)
        if comment is None:
            continue
        flags += [_flag(comment, ver, m, shadow=False) for ver, m in verdict.live]
        flags += [_flag(comment, ver, m, shadow=True) for ver, m in verdict.shadow]
        acting = [m for _, m in verdict.live if m.outcome != "none"]
        comment.evaluated_at = now
        comment.evaluated_version = verdict.live[0][0] if verdict.live else None
        comment.categories = sorted({m.category for _, m in verdict.live})
        comment.priority = priority_of(acting)
        if not acting:
            comment.status = Comment.Status.CLEAN
            clean_ids.append(comment.pk)
            comment.save(update_fields=_EVALUATION_FIELDS)
            continue
        _apply_outcomes(comment, acting, org=org, routes=routes, now=now)
    Flag.objects.bulk_create(flags)
    if clean_ids:
        record(
            "moderation.comments.evaluated_clean",
            actor=SystemActor.system("rules engine"),
            data={"comment_ids": clean_ids[:1000], "count": len(clean_ids)},
        )
    return len(comments)


_EVALUATION_FIELDS = [
    "evaluated_at",
    "evaluated_version",
    "categories",
    "priority",
    "status",
    "visibility",
    "due_at",
]


def _apply_outcomes(
    comment: Comment,
    acting: Sequence[Match],
    *,
    org: Organisation,
    routes: dict[str, EscalationRoute],
    now: dt.datetime,
) -> None:
    channel = comment.channel
    outcomes = {m.outcome for m in acting}
    crisis = org.crisis_mode or channel.crisis_mode
    hide = bool(outcomes & {"hold", "auto_hide"}) or crisis
    routed = [m for m in acting if m.outcome in ROUTED_OUTCOMES]
    actor = _rule_actor(acting)
    can_hide = capabilities_for(channel).hide

    if routed:
        comment.status = Comment.Status.ESCALATED
    elif hide and (outcomes & {"hold"} or crisis or not can_hide):
        comment.status = Comment.Status.HELD if can_hide else Comment.Status.REVIEW
    elif hide:  # auto_hide only: no one needs to look again
        comment.status = Comment.Status.DONE
        comment.handled_at = now
    else:
        comment.status = Comment.Status.REVIEW
    if comment.status != Comment.Status.DONE:
        comment.due_at = due_time_for(channel, comment.received_at)
    comment.save(update_fields=[*_EVALUATION_FIELDS, "handled_at"])

    if hide and can_hide:
        queue_platform_action(comment, ModerationAction.Kind.HIDE, actor=actor)
    if "auto_hide" in outcomes and hide and can_hide:
        type(comment.author).objects.filter(pk=comment.author_id).update(
            strikes=comment.author.strikes + 1
        )
    opened = []
    for match in routed:
        route = routes.get(match.route or "manager") or routes.get("manager")
        if route is None or route.key in opened:
            continue
        opened.append(route.key)
        comment.escalations.create(
            route=route,
            note=f"Opened automatically: {match.explanation}"[:2000],
            deadline_at=deadline_for_route(route, channel, comment.received_at),
            created_by_label=actor.label,
            created_at=now,
        )
    record(
        f"moderation.comment.auto_{'escalated' if routed else 'held' if hide else 'flagged'}",
        actor=actor,
        target=comment,
        channel_id=channel.pk,
        after={
            "status": comment.status,
            "categories": comment.categories,
            "priority": comment.priority,
            "routes": opened,
        },
        data={
            "rules": [f"{m.rule_key} v{m.ruleset_version}" for m in acting],
            "crisis_mode": crisis,
        },
    )
