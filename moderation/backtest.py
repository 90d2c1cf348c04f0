"""Backtests: evaluate a draft rule-set version over stored comments before publishing it.

The job compares the draft's verdict with what this rule set decided at the time (the comment's
live flags from this rule set's rules and, on its own channels, the learned classifier's) and
reports what would newly be flagged, what would no longer be, and hits per rule (every rule of
the draft, those with none too).

Each comment is judged as live evaluation judged it: with the context ``moderation.jobs`` gives
it (the author's earlier comments and other people's recent ones on its channel, read in the same
order), so repetition and flood rules find what they found then. Only comments on the channels
the rule set judges are backtested (a rule set with a period, such as the pre-election one,
judges every channel). Nothing about the comments changes; the Backtest row records progress
and results (``moderation.actions.backtests``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet

from moderation.contexts import INCOMING_COLUMNS, Incoming, contexts_for
from moderation.models import Backtest, Comment, Flag, Organisation
from rules.compile import compiled_version
from rules.models import RuleSet

CHUNK = 500
SAMPLE = 50


def judged_by(ruleset: RuleSet) -> QuerySet[Comment]:
    """Comments on the channels whose evaluation uses ``ruleset`` (``versions_in_force``): their
    own rule set, the default one when they have none, and a scheduled one on every channel."""
    if ruleset.active_from is not None or ruleset.active_until is not None:
        return Comment.objects.all()
    channels = Q(channel__ruleset=ruleset)
    if ruleset.is_default:
        channels |= Q(channel__ruleset__isnull=True)
    return Comment.objects.filter(channels)


def evaluate_backtest(
    backtest: Backtest, report_progress: Callable[[int], None]
) -> dict[str, object]:
    """The backtest's results; ``report_progress`` is told how many comments are done so far."""
    version = backtest.version
    compiled = compiled_version(version, Organisation.current().engine_settings())
    # Every rule of the draft is reported, a new rule that matches nothing with 0.
    per_rule: Counter[str] = Counter(dict.fromkeys(version.rules.values_list("key", flat=True), 0))
    newly: list[int] = []
    no_longer: list[int] = []
    newly_count = no_longer_count = flagged = 0
    model_scores: dict[str, list[float]] = {}
    # The learned stage's matches belong to no rule of the version: their names come with them.
    rule_names: dict[str, str] = {}
    # What this rule set decided at the time: its rules' flags, and the learned classifier's
    # (its settings are part of the version) on the channels it judges as their own set.
    # Another set's flags (the pre-election rules) are not this set's to lose; a scheduled set
    # judges every channel on top of their own set, so the classifier's flags are not its own.
    this_sets = Q(rule__version__ruleset_id=version.ruleset_id)
    if version.ruleset.active_from is None and version.ruleset.active_until is None:
        this_sets |= Q(rule__isnull=True, detector="model")
    comments = judged_by(version.ruleset).filter(
        received_at__gte=backtest.since, received_at__lt=backtest.until
    )
    last_id = 0
    processed = 0
    while True:
        chunk = [
            Incoming(*row)
            for row in comments.filter(id__gt=last_id)
            .order_by("id")
            .values_list(*INCOMING_COLUMNS)[:CHUNK]
        ]
        if not chunk:
            break
        ids = [c.id for c in chunk]
        decided = set(
            Flag.objects.filter(this_sets, comment_id__in=ids, shadow=False)
            .exclude(outcome="none")
            .values_list("comment_id", flat=True)
        )
        contexts = contexts_for(chunk)
        for comment in chunk:
            matches = [
                m
                for m in compiled.evaluate(comment.text, contexts[comment.id])
                if m.outcome != "none"
            ]
            per_rule.update(m.rule_key for m in matches)
            for m in matches:
                if m.rule_id is None:
                    rule_names.setdefault(m.rule_key, m.rule_name)
            for m in matches:
                if m.score is not None:
                    model_scores.setdefault(m.category, []).append(m.score)
            if matches:
                flagged += 1
            if matches and comment.id not in decided:
                newly_count += 1
                if len(newly) < SAMPLE:
                    newly.append(comment.id)
            elif not matches and comment.id in decided:
                no_longer_count += 1
                if len(no_longer) < SAMPLE:
                    no_longer.append(comment.id)
        processed += len(chunk)
        last_id = chunk[-1].id
        report_progress(processed)
    return {
        "flagged": flagged,
        "newly_flagged": newly_count,
        "newly_flagged_sample": newly,
        "no_longer_flagged": no_longer_count,
        "no_longer_flagged_sample": no_longer,
        "per_rule": dict(per_rule.most_common()),
        "rule_names": rule_names,
        "model": {
            category: {
                "flagged": len(scores),
                "lowest": round(min(scores), 4),
                "median": round(statistics.median(scores), 4),
            }
            for category, scores in sorted(model_scores.items())
        },
        "processed": processed,
    }


def rule_statistics(
    ruleset_id: int, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[dict[str, object]]:
    """Hits per rule (by key, across versions) and how often officers reversed the outcome
    (unhid, approved or ignored the item, or upheld an appeal); the learned model's flags, which
    belong to no rule, count per category (``model.<category>``) on the channels the set judges.
    """
    ruleset = RuleSet.objects.get(pk=ruleset_id)
    channels = Q(comment__channel__ruleset_id=ruleset_id)
    if ruleset.is_default:
        channels |= Q(comment__channel__ruleset__isnull=True)
    by_model = Q(rule__isnull=True, detector="model") & channels
    flags = Flag.objects.filter(Q(rule__version__ruleset_id=ruleset_id) | by_model, shadow=False)
    if since:
        flags = flags.filter(created_at__gte=since)
    if until:
        flags = flags.filter(created_at__lt=until)
    rows = (
        flags.values("rule_key", "rule_name", "category")
        .annotate(hits=Count("id"), reversed_count=Count("id", filter=Q(reversed=True)))
        .order_by("-hits")
    )
    return [
        {
            **row,
            "reversal_rate": (row["reversed_count"] / row["hits"]) if row["hits"] else 0.0,
            "by_model": str(row["rule_key"]).startswith("model."),
        }
        for row in rows
    ]
