"""Background jobs. Each takes ids, reloads its rows and calls actions; each is safe to rerun."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.utils import timezone

from accounts.audit import Actor, SystemActor, audit_context
from moderation.actions.backtests import do_run_backtest
from moderation.actions.channel_webhooks import do_record_webhook_subscription
from moderation.actions.evaluation import Verdict, do_apply_verdicts
from moderation.actions.ingest import (
    do_record_poll_failure,
    do_record_poll_success,
    do_store_comments,
)
from moderation.actions.notifications import due_notification_ids
from moderation.actions.outbox import connector_actor
from moderation.actions.quarantine import do_correct_comment_times, do_hold_unchecked_comments
from moderation.channel_connector import connector_for
from moderation.classifiers.scoring import JOB as OUTSIDE_SCORING_JOB
from moderation.classifiers.scoring import enabled as outside_classifiers_enabled
from moderation.connectors.base import FetchedComment, Quarantined
from moderation.connectors.errors import ConnectorError
from moderation.connectors.parsing import time_problem
from moderation.contexts import (
    INCOMING_COLUMNS,
    Incoming,
    contexts_for,
    failure_reason,
    group_by_channel,
)
from moderation.emails import deliver_notification
from moderation.housekeeping import dispatch_housekeeping
from moderation.models import Backtest, Channel, Comment, Organisation
from moderation.outbox import due_action_ids, perform_action
from moderation.read_ahead import PagesAhead, caught_up
from rules.compile import compiled_version, versions_in_force
from smpolicy.queue import enqueue_now

log = logging.getLogger(__name__)

# A comment still unevaluated this long after arriving lost its job (a worker died): enqueue again.
EVALUATION_STALE_AFTER = dt.timedelta(minutes=10)
# A backtest still queued this long after it was asked for lost its job: enqueue it again.
BACKTEST_STALE_AFTER = dt.timedelta(minutes=10)
MAX_PAGES_PER_POLL = 1000
STORE_BATCH = 1000


def _job_id() -> str:
    try:
        from rq import get_current_job

        job = get_current_job()
        return job.id if job is not None else ""
    except Exception:  # no rq job outside a worker
        return ""


def evaluate_comments(comment_ids: Sequence[int]) -> int:
    """Run the rules in force over new comments and record the verdicts.

    One comment never stops its batch: an impossible stored time is corrected first, and a
    comment the rules fail on is held for a person (``moderation.actions.quarantine``) while the
    rest are judged as usual.
    """
    with audit_context(job_id=_job_id()):
        comments = unevaluated(comment_ids)
        if not comments:
            return 0
        actor = SystemActor.system("rules engine")
        impossible = {c.id: p for c in comments if (p := time_problem(c.created_at))}
        if impossible:
            do_correct_comment_times(impossible, actor=actor)
            comments = [
                c._replace(created_at=c.received_at) if c.id in impossible else c for c in comments
            ]
        org_settings = Organisation.current().engine_settings()
        failures: dict[int, str] = {}
        contexts = contexts_for(comments, failures)
        channel_ids = {c.channel_id for c in comments}
        channels = Channel.objects.select_related("ruleset").in_bulk(channel_ids)
        verdicts = []
        now = timezone.now()
        for channel_id, group in group_by_channel(comments).items():
            live, shadow = versions_in_force(channels[channel_id].ruleset, now)
            live_compiled = [(v.number, compiled_version(v, org_settings)) for v in live]
            shadow_compiled = [(v.number, compiled_version(v, org_settings)) for v in shadow]
            for comment in group:
                context = contexts.get(comment.id)
                if context is None:
                    continue
                try:
                    verdicts.append(
                        Verdict(
                            comment_id=comment.id,
                            version=live_compiled[0][0] if live_compiled else None,
                            live=[
                                (n, m)
                                for n, c in live_compiled
                                for m in c.evaluate(comment.text, context)
                            ],
                            shadow=[
                                (n, m)
                                for n, c in shadow_compiled
                                for m in c.evaluate(comment.text, context)
                            ],
                        )
                    )
                except Exception as error:  # one comment must not stop its batch
                    failures[comment.id] = failure_reason(comment.id, error)
        applied, unrecorded = _apply_each_on_failure(verdicts, actor=actor)
        failures.update(unrecorded)
        held = do_hold_unchecked_comments(failures, actor=actor) if failures else 0
        if outside_classifiers_enabled():
            # After the verdicts are recorded, in a job of its own: never in moderation's way.
            enqueue_now("default", OUTSIDE_SCORING_JOB, [c.id for c in comments])
        return applied + held


def _apply_each_on_failure(verdicts: list[Verdict], *, actor: Actor) -> tuple[int, dict[int, str]]:
    """Record the verdicts together; if that fails, one by one, so that the one that cannot be
    recorded is held for a person and the others are recorded (each try rolls back alone)."""
    try:
        return do_apply_verdicts(verdicts, actor=actor), {}
    except Exception:  # which verdict failed is found below, one at a time
        log.exception("Recording %d verdicts together failed; trying each alone", len(verdicts))
    applied, failures = 0, {}
    for verdict in verdicts:
        try:
            applied += do_apply_verdicts([verdict], actor=actor)
        except Exception as error:  # one comment must not stop its batch
            failures[verdict.comment_id] = failure_reason(verdict.comment_id, error)
    return applied, failures


def unevaluated(comment_ids: Sequence[int]) -> list[Incoming]:
    """The comments among ``comment_ids`` still waiting for the rules, oldest first."""
    # Read by id only, status checked here: with the status in the query, the planner may pick
    # the partial index of unevaluated comments and walk every entry in it (a backlog has tens
    # of thousands), where the primary key finds the batch's rows directly.
    return [
        Incoming(*row[:-1])
        for row in Comment.objects.filter(pk__in=comment_ids)
        .order_by("id")
        .values_list(*INCOMING_COLUMNS, "status")
        if row[-1] == Comment.Status.NEW
    ]


def send_action(action_id: int) -> str:
    return send_actions([action_id])[0]


def send_actions(action_ids: Sequence[int]) -> list[str]:
    """Send several outbox rows in turn: the automatic hides of one evaluated batch.

    Each row is claimed and recorded on its own, exactly as by ``send_action``; if the job dies
    half-way, the rows it did not reach are still due, and the scheduler enqueues them again.
    """
    with audit_context(job_id=_job_id()):
        return [perform_action(action_id) for action_id in action_ids]


def poll_channel(channel_id: int, backfill_days: int | None = None) -> int:
    """Fetch every new page for a channel and store it; returns the number of new comments.

    ``backfill_days`` widens how far back the channel reads (after a reconnection)."""
    channel = Channel.objects.get(pk=channel_id)
    actor = connector_actor(channel)
    stored = fetched = 0
    reads = 0
    problems: list[str] = []
    with audit_context(job_id=_job_id()):
        try:
            connector = connector_for(channel, backfill_days=backfill_days)
            cursor: str | None = channel.cursor or None
            pending: list[FetchedComment] = []
            held: list[Quarantined] = []
            # The next pages are fetched in a thread while these are stored (read_ahead.py).
            with PagesAhead(connector, cursor, limit=MAX_PAGES_PER_POLL) as pages:
                for page in pages:
                    problems += list(page.problems)
                    reads += page.reads
                    pending += page.comments
                    held += page.quarantined
                    fetched += len(page.comments)
                    last = caught_up(page, cursor)
                    cursor = page.next_cursor or cursor
                    # Pages are stored a few at a time: fewer, larger transactions and
                    # evaluation batches, while a crash still loses at most the pages not yet
                    # stored.
                    if last or len(pending) >= STORE_BATCH:
                        result = do_store_comments(
                            channel, pending, actor=actor, cursor=cursor or "", quarantined=held
                        )
                        stored += len(result.new_comment_ids)
                        pending, held = [], []
        except (ConnectorError, ValueError) as error:
            log.warning("Polling %s failed: %s", channel, error)
            wait = error.retry_after if isinstance(error, ConnectorError) else None
            do_record_poll_failure(channel, str(error), actor=actor, wait_seconds=wait)
            return stored
        for problem in problems:
            log.warning("Polling %s: %s", channel, problem)
        do_record_poll_success(
            channel,
            problems,
            actor=actor,
            reads=reads,
            fetched={"comments": fetched, "new": stored, "problems": len(problems)},
        )
    return stored


def send_notification(notification_id: int) -> str:
    """Send one email of the notification outbox (an escalation's route, a spike alert)."""
    with audit_context(job_id=_job_id()):
        return deliver_notification(notification_id)


def dispatch_due_work() -> dict[str, int]:
    """One scheduler tick: poll channels that are due, resend actions and notifications whose
    time has come, and enqueue again work whose job was lost (Redis down at the commit, a dead
    worker): comments still unevaluated, backtests still queued."""
    now = timezone.now()
    polled = 0
    channels = Channel.objects.filter(enabled=True).exclude(platform="import")
    # A channel the platform told to wait (X's monthly cap) is not polled before then.
    for channel in channels.exclude(paused_until__gt=now):
        last = channel.last_polled_at
        if last is None or (now - last).total_seconds() >= channel.poll_interval_seconds:
            # Enqueued first: if Redis is away, the channel stays due for the next tick.
            enqueue_now("ingest", poll_channel, channel.pk)
            # Scheduling bookkeeping (not audited): when this channel's poll was last enqueued.
            Channel.objects.filter(pk=channel.pk).update(last_polled_at=now)
            polled += 1
    actions = due_action_ids()
    for action_id in actions:
        enqueue_now("actions", send_action, action_id)
    stale = stale_unevaluated_ids(now - EVALUATION_STALE_AFTER)
    for start in range(0, len(stale), 200):
        enqueue_now("ingest", evaluate_comments, stale[start : start + 200])
    notifications = due_notification_ids()
    for notification_id in notifications:
        enqueue_now("default", send_notification, notification_id)
    backtests = list(
        Backtest.objects.filter(
            state=Backtest.State.QUEUED, created_at__lt=now - BACKTEST_STALE_AFTER
        ).values_list("id", flat=True)
    )
    for backtest_id in backtests:
        enqueue_now("default", run_backtest, backtest_id)
    return {
        "channels": polled,
        "actions": len(actions),
        "reevaluated": len(stale),
        "notifications": len(notifications),
        "backtests": len(backtests),
        **dispatch_housekeeping(),
    }


def stale_unevaluated_ids(received_before: dt.datetime, limit: int = 5000) -> list[int]:
    """Comments stored but never evaluated: their evaluation job was lost with a dead worker.

    Evaluating twice is harmless (verdicts apply only to comments still new), so re-enqueueing
    is safe even if the original job is merely slow.
    """
    return list(
        Comment.objects.filter(status=Comment.Status.NEW, received_at__lt=received_before)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def subscribe_channel_to_webhooks(channel_id: int) -> None:
    """Subscribe a Meta channel's account to the app (`POST /{id}/subscribed_apps`), outside
    any web request, and record the platform's answer."""
    channel = Channel.objects.get(pk=channel_id)
    actor = connector_actor(channel)
    with audit_context(job_id=_job_id()):
        connector = connector_for(channel)
        subscribe = getattr(connector, "subscribe_webhooks", None)
        if subscribe is None:
            do_record_webhook_subscription(
                channel, f"{channel.platform} has no Meta webhooks", actor=actor
            )
            return
        try:
            subscribe()
        except ConnectorError as error:
            do_record_webhook_subscription(channel, str(error), actor=actor)
            return
        do_record_webhook_subscription(channel, "", actor=actor)


def run_backtest(backtest_id: int) -> None:
    with audit_context(job_id=_job_id()):
        do_run_backtest(backtest_id, actor=SystemActor.system("backtest job"))
