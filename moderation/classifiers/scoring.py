"""Asking the outside classifiers about evaluated comments: a worker's job, never a request's.

``moderation.jobs.evaluate_comments`` enqueues ``score_comments`` (by dotted path) after it has
recorded the rules' verdicts, so moderation never waits for an outside service. For each
configured adapter and comment:

* a comment already scored by that adapter is skipped (a retried job changes nothing);
* the same text scored before (sha256 of the text) is copied, not sent again (the cache is read
  in one query per batch and adapter, ``earlier_answers``);
* otherwise one call is made if the adapter's **daily budget** (``ClassifierUsage``, one row
  per adapter and day, taken with a conditional UPDATE so parallel workers cannot overspend)
  allows it;
* a failure (timeout, refusal, an answer of the wrong shape) is logged and kept on the usage
  row, shown on the admins' Status page; the comment simply has no outside score.

Private messages are never sent out. Scores are one more signal for officers: they never hide
anything.

The usage rows are bookkeeping, like a rate limiter's counters, so they are written here and not
by an audited action: nobody decides them, they change on every call, and what matters (each
score a comment was given) is recorded by ``do_record_outside_score``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence

from django.db.models import F, Min, Subquery
from django.utils import timezone

from accounts.audit import SystemActor
from moderation.actions.classifiers import do_record_outside_score
from moderation.classifiers.adapters import configured
from moderation.classifiers.base import ClassifierAnswer, ClassifierFailed, setting
from moderation.models import ClassifierUsage, Comment, OutsideScore

log = logging.getLogger(__name__)

JOB = "moderation.classifiers.scoring.score_comments"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def enabled() -> bool:
    return bool(configured())


def _usage(name: str) -> ClassifierUsage:
    today = timezone.localdate()
    usage, _ = ClassifierUsage.objects.get_or_create(classifier=name, day=today)
    return usage


def take_budget(name: str) -> bool:
    """One call's worth of today's budget, or False (and counted) when it is spent."""
    budget = int(setting("OUTSIDE_CLASSIFIER_DAILY_BUDGET", 1000))
    usage = _usage(name)
    taken = ClassifierUsage.objects.filter(pk=usage.pk, calls__lt=budget).update(
        calls=F("calls") + 1
    )
    if not taken:
        ClassifierUsage.objects.filter(pk=usage.pk).update(
            skipped_over_budget=F("skipped_over_budget") + 1
        )
    return bool(taken)


def _note_failure(name: str, error: Exception) -> None:
    log.warning("outside classifier %s failed: %s", name, error)
    ClassifierUsage.objects.filter(pk=_usage(name).pk).update(
        failures=F("failures") + 1, last_error=str(error)[:500], last_error_at=timezone.now()
    )


def _note_success(name: str) -> None:
    ClassifierUsage.objects.filter(pk=_usage(name).pk).update(last_success_at=timezone.now())


def earlier_answers(name: str, digests: Iterable[str]) -> dict[str, ClassifierAnswer]:
    """The first answer ``name`` gave for each of these texts (by hash), in one query for the
    whole batch: the first row per hash, found by a subquery on the cache's index."""
    first_ids = (
        OutsideScore.objects.filter(classifier=name, text_hash__in=set(digests))
        .values("text_hash")
        .annotate(first=Min("id"))
        .values("first")
    )
    return {
        score.text_hash: ClassifierAnswer(dict(score.scores), dict(score.raw_scores))
        for score in OutsideScore.objects.filter(id__in=Subquery(first_ids)).only(
            "text_hash", "scores", "raw_scores"
        )
    }


def score_comments(comment_ids: Sequence[int]) -> dict[str, int]:
    """The job: every configured adapter's scores for the comments; returns what happened."""
    counts = {"scored": 0, "cached": 0, "over_budget": 0, "failed": 0}
    adapters = configured()
    if not adapters:
        return counts
    comments = [
        (comment_id, text, text_hash(text))
        for comment_id, text in Comment.objects.filter(
            pk__in=list(comment_ids), private=False, redacted_at__isnull=True
        )
        .exclude(text="")
        .order_by("id")
        .values_list("id", "text")
    ]
    for adapter in adapters:
        actor = SystemActor.system(f"outside classifier {adapter.name}")
        done = set(
            OutsideScore.objects.filter(
                classifier=adapter.name, comment_id__in=[pk for pk, _, _ in comments]
            ).values_list("comment_id", flat=True)
        )
        todo = [c for c in comments if c[0] not in done]
        # Grows as the batch is scored, so words repeated within it are sent once.
        known = earlier_answers(adapter.name, (digest for _, _, digest in todo)) if todo else {}
        for comment_id, text, digest in todo:
            if digest in known:
                do_record_outside_score(
                    comment_id, adapter.name, digest, known[digest], cached=True, actor=actor
                )
                counts["cached"] += 1
                continue
            if not take_budget(adapter.name):
                counts["over_budget"] += 1
                continue
            try:
                answer = adapter.classify(text)
            except Exception as error:  # any failure of an outside service is shown, not raised
                if not isinstance(error, ClassifierFailed):
                    log.exception("outside classifier %s raised", adapter.name)
                _note_failure(adapter.name, error)
                counts["failed"] += 1
                continue
            _note_success(adapter.name)
            do_record_outside_score(
                comment_id, adapter.name, digest, answer, cached=False, actor=actor
            )
            known[digest] = answer
            counts["scored"] += 1
    return counts


LABELS = {
    "perspective": "Perspective API",
    "openai": "OpenAI moderation",
    "http": "HTTP classifier",
}


def shown_scores(comment: Comment) -> list[tuple[str, list[tuple[str, int]], bool]]:
    """For the item page: each classifier's label, its categories as percentages (highest
    first), and whether the answer was copied from an identical text. Read only while outside
    classifiers are configured, so the item page costs nothing more when they are off."""
    rows: list[tuple[str, list[tuple[str, int]], bool]] = []
    if not enabled():
        return rows
    for score in comment.outside_scores.order_by("classifier"):
        values = score.scores if isinstance(score.scores, dict) else {}
        ordered = sorted(
            ((str(k).replace("_", " "), round(float(v) * 100)) for k, v in values.items()),
            key=lambda item: -item[1],
        )
        rows.append((LABELS.get(score.classifier, score.classifier), ordered, score.cached))
    return rows
