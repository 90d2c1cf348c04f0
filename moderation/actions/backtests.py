"""Backtests of a draft rule-set version: asked for by an admin, run by a worker (what they
compute: ``moderation.backtest``)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.backtest import evaluate_backtest, judged_by
from moderation.models import Backtest
from rules.models import RuleSetVersion
from smpolicy.queue import enqueue_on_commit


@transaction.atomic
def do_start_backtest(
    version: RuleSetVersion, since: dt.datetime, until: dt.datetime, *, actor: Actor
) -> Backtest:
    if until <= since:
        raise ValueError("The period must end after it starts.")
    backtest = Backtest.objects.create(
        version=version,
        since=since,
        until=until,
        total=judged_by(version.ruleset)
        .filter(received_at__gte=since, received_at__lt=until)
        .count(),
        requested_by_label=actor.label,
    )
    record(
        "rules.backtest.started",
        actor=actor,
        target=backtest,
        data={"version": version.number, "ruleset": version.ruleset.name, "total": backtest.total},
    )
    enqueue_on_commit("default", "moderation.jobs.run_backtest", backtest.pk)
    return backtest


def do_run_backtest(backtest_id: int, *, actor: Actor) -> None:
    """Evaluate a queued backtest and record its results (nothing if it is not queued).

    Progress is written as it goes, outside any transaction, for the page that shows it; the
    results and their audit event are written together at the end."""
    backtest = Backtest.objects.select_related("version__ruleset").get(pk=backtest_id)
    # Claimed from queued, so that a job enqueued again by the scheduler (the first was lost,
    # or is only slow) never runs it a second time.
    if not Backtest.objects.filter(pk=backtest.pk, state=Backtest.State.QUEUED).update(
        state=Backtest.State.RUNNING
    ):
        return
    try:
        results = evaluate_backtest(backtest, partial(_record_progress, backtest.pk))
    except Exception as error:
        _finish(backtest, {}, error=f"{type(error).__name__}: {error}", actor=actor)
        raise
    _finish(backtest, results, actor=actor)


def _record_progress(backtest_id: int, processed: int) -> None:
    Backtest.objects.filter(pk=backtest_id).update(processed=processed)


@transaction.atomic
def _finish(
    backtest: Backtest, results: dict[str, object], *, actor: Actor, error: str = ""
) -> None:
    backtest.refresh_from_db()
    backtest.state = Backtest.State.FAILED if error else Backtest.State.DONE
    backtest.results = results
    backtest.error = error
    backtest.finished_at = timezone.now()
    backtest.save(update_fields=["state", "results", "error", "finished_at"])
    record(
        "rules.backtest.failed" if error else "rules.backtest.finished",
        actor=actor,
        target=backtest,
        after={
            "state": backtest.state,
            "newly_flagged": results.get("newly_flagged"),
            "no_longer_flagged": results.get("no_longer_flagged"),
            "error": error,
        },
    )
