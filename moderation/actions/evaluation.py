"""Applying the rules engine's verdicts: flags, status, priority, due time and auto-outcomes.

Automatic outcomes are actions like an officer's, with the rule as the actor: a hold or auto-hide
writes an outbox row, an escalation or statutory route opens an escalation with its deadline.
A batch of verdicts is written with a handful of bulk statements (flags, comment updates, outbox
rows, escalations, audit events), because ingest evaluates pages of comments at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, PendingEvent, SystemActor, record_many
from moderation.actions.notifications import queue_escalation_notices, queue_notifications
from moderation.actions.outbox import PlatformRequest, queue_platform_actions
from moderation.actions.strikes import GivenStrike, give_strikes
from moderation.at_risk import AT_RISK_CATEGORY, AT_RISK_PRIORITY, on_call_alerts_for
from moderation.bulk import insert_rows, update_rows
from moderation.campaigns import store_campaign_keys
from moderation.console.highlight import PERSONAL_DATA, masked_plain_text
from moderation.deadlines import due_time_for, escalation_deadline, posted_at
from moderation.models import (
    Channel,
    Comment,
    Escalation,
    EscalationRoute,
    Flag,
    ModerationAction,
    Organisation,
)
from moderation.platforms import capabilities_for
from rules.engine.types import categories_of

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
    # The live version that judged the comment, matches or none (None: no rule set in force).
    version: int | None = None


def priority_of(matches: Sequence[Match]) -> int:
    if not matches:
        return 0
    worst = max(m.severity for m in matches)
    routed = any(m.outcome in ROUTED_OUTCOMES for m in matches)
    at_risk = any(m.category == AT_RISK_CATEGORY for m in matches)
    return (
        (AT_RISK_PRIORITY if at_risk else 0)
        + worst * SEVERITY_WEIGHT
        + (10 if routed else 0)
        + min(len(matches), 5)
    )


def _rule_actor(matches: Sequence[Match]) -> SystemActor:
    worst = max(matches, key=lambda m: m.severity)
    return SystemActor.rule(f"rule {worst.rule_key} v{worst.ruleset_version} ({worst.rule_name})")


def _flag(comment_id: int, version: int, match: Match, *, shadow: bool) -> dict[str, object]:
    """A Flag row, for ``insert_rows``."""
    return {
        "comment_id": comment_id,
        "rule_id": match.rule_id,
        "ruleset_version": version,
        "rule_key": match.rule_key[:80],
        "rule_name": match.rule_name[:120],
        "category": match.category,
        "severity": match.severity,
        "outcome": match.outcome,
        "route": match.route,
        "detector": match.detector[:40],
        "spans": [list(s) for s in match.spans],
        "explanation": match.explanation,
        "shadow": shadow,
        "score": match.score,
        "terms": list(match.terms),
    }


@dataclass
class _Batch:
    """Everything a batch of verdicts writes, collected first and written in bulk."""

    now: dt.datetime
    flags: list[dict[str, object]] = field(default_factory=list)
    flagged: list[Comment] = field(default_factory=list)
    clean: dict[tuple[int | None, tuple[str, ...]], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    hides: list[tuple[Comment, SystemActor]] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    struck: list[Comment] = field(default_factory=list)  # auto-hidden: a strike each
    events: list[PendingEvent] = field(default_factory=list)


_FLAGGED_FIELDS = [
    "evaluated_at",
    "evaluated_version",
    "categories",
    "priority",
    "status",
    "due_at",
    "handled_at",
]


@transaction.atomic
def do_apply_verdicts(verdicts: Sequence[Verdict], *, actor: Actor) -> int:
    """Record each verdict once; comments already evaluated are skipped (job retries are safe).

    ``actor`` is the evaluation as a whole (clean comments are recorded under it); an automatic
    outcome is recorded under the rule that decided it."""
    # Lock the batch's rows that are still new; only the flagged ones are loaded as models (the
    # clean majority needs nothing but its id).
    # The status is checked here, not in the query, so that the primary key finds the rows
    # (see evaluate_comments); a duplicate job waits on the locks, then finds none still new.
    still_new = {
        pk
        for pk, status in Comment.objects.select_for_update()
        .filter(pk__in=[v.comment_id for v in verdicts])
        .order_by("id")  # one lock order for every writer
        .values_list("id", "status")
        if status == Comment.Status.NEW
    }
    if not still_new:
        return 0
    acting_by_id = {
        v.comment_id: [m for _, m in v.live if m.outcome != "none"]
        for v in verdicts
        if v.comment_id in still_new
    }
    comments = {
        comment.pk: comment
        for comment in Comment.objects.defer("raw", "text").filter(
            pk__in=[pk for pk, acting in acting_by_id.items() if acting]
        )
    }
    # Each channel once, shared by its comments (select_related made one per comment).
    channels = Channel.objects.in_bulk({c.channel_id for c in comments.values()})
    for comment in comments.values():
        comment.channel = channels[comment.channel_id]
    _store_masked_texts([v for v in verdicts if v.comment_id in still_new])
    store_campaign_keys({pk: matches for pk, matches in acting_by_id.items() if matches})
    org = Organisation.current()
    routes = {r.key: r for r in EscalationRoute.objects.all()}
    batch = _Batch(now=timezone.now())
    for verdict in verdicts:
        acting = acting_by_id.pop(verdict.comment_id, None)
        if acting is None:  # not new any more, or a repeat of the same id in this batch
            continue
        batch.flags += [_flag(verdict.comment_id, ver, m, shadow=False) for ver, m in verdict.live]
        batch.flags += [_flag(verdict.comment_id, ver, m, shadow=True) for ver, m in verdict.shadow]
        version = verdict.live[0][0] if verdict.live else verdict.version
        categories = tuple(sorted(categories_of(m for _, m in verdict.live)))
        if not acting:
            batch.clean[(version, categories)].append(verdict.comment_id)
            continue
        comment = comments[verdict.comment_id]
        comment.evaluated_at = batch.now
        comment.evaluated_version = version
        comment.categories = list(categories)
        comment.priority = priority_of(acting)
        _decide(comment, acting, org=org, routes=routes, batch=batch)
    _write(batch, actor, org)
    return len(still_new)


def _store_masked_texts(verdicts: Sequence[Verdict]) -> None:
    """Keep, for each comment with personal data, its text as people who may not reveal it see
    it: what they search (``Comment.masked_text``; one query more, only for such comments)."""
    found = {
        v.comment_id: matches
        for v in verdicts
        if (matches := [m for _, m in v.live if m.category == PERSONAL_DATA and m.spans])
    }
    if not found:
        return
    texts = Comment.objects.filter(pk__in=list(found)).values_list("id", "text")
    update_rows(
        Comment,
        [{"id": pk, "masked_text": masked_plain_text(text, found[pk])} for pk, text in texts],
        ["masked_text"],
    )


def _decide(
    comment: Comment,
    acting: Sequence[Match],
    *,
    org: Organisation,
    routes: dict[str, EscalationRoute],
    batch: _Batch,
) -> None:
    channel = comment.channel
    outcomes = {m.outcome for m in acting}
    crisis = org.crisis_mode or channel.crisis_mode
    hide = bool(outcomes & {"hold", "auto_hide"}) or crisis
    # A hold may name a route too (an allegation: hidden now, and passed to legal).
    routed = [
        m for m in acting if m.outcome in ROUTED_OUTCOMES or (m.outcome == "hold" and m.route)
    ]
    actor = _rule_actor(acting)
    can_hide = capabilities_for(channel).hide

    if routed:
        comment.status = Comment.Status.ESCALATED
    elif hide and (outcomes & {"hold"} or crisis or not can_hide):
        comment.status = Comment.Status.HELD if can_hide else Comment.Status.REVIEW
    elif hide:  # auto_hide only: no one needs to look again
        comment.status = Comment.Status.DONE
        comment.handled_at = batch.now
    else:
        comment.status = Comment.Status.REVIEW
    batch.flagged.append(comment)

    if hide and can_hide:
        batch.hides.append((comment, actor))
        if "auto_hide" in outcomes:
            batch.struck.append(comment)
    opened: list[str] = []
    deadlines: list[dt.datetime] = []
    for match in routed:
        route = routes.get(match.route or "manager") or routes.get("manager")
        if route is None or route.key in opened:
            continue
        opened.append(route.key)
        deadline = escalation_deadline(
            route, channel, posted_at=posted_at(comment), escalated_at=batch.now
        )
        deadlines.append(deadline)
        batch.escalations.append(
            Escalation(
                comment=comment,
                route=route,
                note=f"Opened automatically: {match.explanation}"[:2000],
                deadline_at=deadline,
                created_by_label=actor.label,
                created_at=batch.now,
            )
        )
    if comment.status != Comment.Status.DONE:
        # An escalated item is due when its escalation is (moderation.deadlines.past_due).
        comment.due_at = min(deadlines) if deadlines else due_time_for(channel, comment.received_at)
    kind = "escalated" if routed else "held" if hide else "flagged"
    batch.events.append(
        PendingEvent(
            f"moderation.comment.auto_{kind}",
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
    )


def _write(batch: _Batch, actor: Actor, org: Organisation) -> None:
    # Clean comments share their new values, so one UPDATE per distinct (version, categories).
    clean_ids: list[int] = []
    for (version, categories), ids in batch.clean.items():
        Comment.objects.filter(pk__in=ids).update(
            status=Comment.Status.CLEAN,
            evaluated_at=batch.now,
            evaluated_version=version,
            categories=list(categories),
            priority=0,
        )
        clean_ids += ids
    flagged = [{"id": c.pk, **{f: getattr(c, f) for f in _FLAGGED_FIELDS}} for c in batch.flagged]
    update_rows(Comment, flagged, _FLAGGED_FIELDS)
    insert_rows(Flag, batch.flags)
    escalations = Escalation.objects.bulk_create(batch.escalations)
    queue_escalation_notices(escalations)
    alerts, alert_events = on_call_alerts_for(escalations, batch.now, org)
    queue_notifications(alerts)
    events = [*batch.events, *alert_events]
    if clean_ids:
        events.append(
            PendingEvent(
                "moderation.comments.evaluated_clean",
                actor=actor,
                data={"comment_ids": clean_ids[:1000], "count": len(clean_ids)},
            )
        )
    record_many(events)
    hides = queue_platform_actions(
        [
            PlatformRequest(comment, ModerationAction.Kind.HIDE, rule)
            for comment, rule in batch.hides
        ]
    )
    hide_of = {hide.comment_id: hide for hide in hides}
    rule_of = {comment.pk: rule for comment, rule in batch.hides}
    give_strikes(
        [
            GivenStrike(comment, "auto_hide", rule_of[comment.pk].label, hide_of.get(comment.pk))
            for comment in batch.struck
        ],
        at=batch.now,
    )
