"""Background jobs. Each takes ids, reloads its rows and calls actions; each is safe to rerun."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone

from accounts.audit import SystemActor, audit_context
from moderation.models import Channel, Comment, Organisation
from rules.engine import Context

log = logging.getLogger(__name__)

SPAM_WINDOW = dt.timedelta(hours=24)
# A comment still unevaluated this long after arriving lost its job (a worker died): enqueue again.
EVALUATION_STALE_AFTER = dt.timedelta(minutes=10)
FLOOD_WINDOW = dt.timedelta(minutes=10)
MAX_PAGES_PER_POLL = 1000
# How many recent comments per batch repetition and floods are judged against.
HISTORY_ROWS = 600
STORE_BATCH = 500


def _job_id() -> str:
    try:
        from rq import get_current_job

        job = get_current_job()
        return job.id if job is not None else ""
    except Exception:  # no rq job outside a worker
        return ""


class Incoming(NamedTuple):
    """What evaluation reads of a comment: no model instances, because a batch is 500 rows."""

    id: int
    channel_id: int
    author_id: int
    text: str
    created_at: dt.datetime
    received_at: dt.datetime
    author_handle: str
    author_name: str


def evaluate_comments(comment_ids: Sequence[int]) -> int:
    """Run the rules in force over new comments and record the verdicts."""
    from moderation.actions.evaluation import Verdict, do_apply_verdicts
    from rules.compile import compiled_version, versions_in_force

    with audit_context(job_id=_job_id()):
        comments = [
            Incoming(*row)
            for row in Comment.objects.filter(pk__in=comment_ids, status=Comment.Status.NEW)
            .order_by("id")
            .values_list(
                "id",
                "channel_id",
                "author_id",
                "text",
                "created_at",
                "received_at",
                "author__handle",
                "author__display_name",
            )
        ]
        if not comments:
            return 0
        org_settings = Organisation.current().engine_settings()
        history = _recent_history(comments)
        channel_ids = {c.channel_id for c in comments}
        channels = Channel.objects.select_related("ruleset").in_bulk(channel_ids)
        verdicts = []
        now = timezone.now()
        for channel_id, group in _by_channel(comments).items():
            live, shadow = versions_in_force(channels[channel_id].ruleset, now)
            live_compiled = [(v.number, compiled_version(v, org_settings)) for v in live]
            shadow_compiled = [(v.number, compiled_version(v, org_settings)) for v in shadow]
            for comment in group:
                context = _context_for(comment, history)
                verdicts.append(
                    Verdict(
                        comment_id=comment.id,
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
        return do_apply_verdicts(verdicts)


def _by_channel(comments: Sequence[Incoming]) -> dict[int, list[Incoming]]:
    groups: dict[int, list[Incoming]] = defaultdict(list)
    for c in comments:
        groups[c.channel_id].append(c)
    return groups


History = list[tuple[int, int, int, dt.datetime, str]]  # id, channel, author, created, text


@dataclass
class RecentHistory:
    """Recent comments on the batch's channels, newest first, indexed for cheap lookups."""

    by_channel: dict[int, History]
    by_author: dict[tuple[int, int], History]


def _recent_history(comments: Sequence[Incoming]) -> RecentHistory:
    """Recent comments on the same channels, for repetition and flood detection (one query)."""
    since = min(c.received_at for c in comments) - SPAM_WINDOW
    rows: History = list(
        Comment.objects.filter(
            channel_id__in={c.channel_id for c in comments}, received_at__gte=since
        )
        .order_by("-id")
        .values_list("id", "channel_id", "author_id", "created_at", "text")[:HISTORY_ROWS]
    )
    history = RecentHistory(defaultdict(list), defaultdict(list))
    for row in rows:
        history.by_channel[row[1]].append(row)
        history.by_author[(row[1], row[2])].append(row)
    return history


def _context_for(comment: Incoming, history: RecentHistory) -> Context:
    comment_id, author_id = comment.id, comment.author_id
    mine = [
        h for h in history.by_author.get((comment.channel_id, author_id), ()) if h[0] < comment_id
    ]
    others: list[str] = []
    for h in history.by_channel.get(comment.channel_id, ()):
        if h[0] < comment_id and h[2] != author_id:
            others.append(h[4][:2000])
            if len(others) == 50:
                break
    flood_since = comment.created_at - FLOOD_WINDOW
    return Context(
        author_handle=comment.author_handle,
        author_name=comment.author_name,
        author_recent_texts=[h[4][:2000] for h in reversed(mine[:20])],
        others_recent_texts=others,
        author_recent_count=sum(1 for h in mine if h[3] >= flood_since),
    )


def send_action(action_id: int) -> str:
    from moderation.actions.outbox import perform_action

    with audit_context(job_id=_job_id()):
        return perform_action(action_id)


def poll_channel(channel_id: int) -> int:
    """Fetch every new page for a channel and store it; returns the number of new comments."""
    from moderation.actions.ingest import (
        do_record_poll_failure,
        do_record_poll_success,
        do_store_comments,
    )
    from moderation.connectors.base import ConnectorError, FetchedComment
    from moderation.platforms import connector_for

    channel = Channel.objects.get(pk=channel_id)
    actor = SystemActor.connector(f"{channel.platform} connector ({channel.name})")
    stored = 0
    problems: list[str] = []
    with audit_context(job_id=_job_id()):
        try:
            connector = connector_for(channel)
            cursor: str | None = channel.cursor or None
            pending: list[FetchedComment] = []
            for _ in range(MAX_PAGES_PER_POLL):
                page = connector.fetch_comments(cursor)
                problems += list(page.problems)
                pending += page.comments
                caught_up = not page.next_cursor or page.next_cursor == cursor
                cursor = page.next_cursor or cursor
                # Pages are stored a few at a time: fewer, larger transactions and evaluation
                # batches, while a crash still loses at most the pages not yet stored.
                if caught_up or len(pending) >= STORE_BATCH:
                    result = do_store_comments(channel, pending, actor=actor, cursor=cursor or "")
                    stored += len(result.new_comment_ids)
                    pending = []
                if caught_up:
                    break
        except (ConnectorError, ValueError) as error:
            log.warning("Polling %s failed: %s", channel, error)
            do_record_poll_failure(channel, str(error), actor=actor)
            return stored
        for problem in problems:
            log.warning("Polling %s: %s", channel, problem)
        do_record_poll_success(channel, problems, actor=actor)
    return stored


def dispatch_due_work() -> dict[str, int]:
    """One scheduler tick: poll channels that are due, and resend actions whose time has come."""
    from moderation.actions.outbox import due_action_ids
    from smpolicy.queue import enqueue_now

    now = timezone.now()
    polled = 0
    for channel in Channel.objects.filter(enabled=True).exclude(platform="import"):
        last = channel.last_polled_at
        if last is None or (now - last).total_seconds() >= channel.poll_interval_seconds:
            Channel.objects.filter(pk=channel.pk).update(last_polled_at=now)
            enqueue_now("ingest", poll_channel, channel.pk)
            polled += 1
    actions = due_action_ids()
    for action_id in actions:
        enqueue_now("actions", send_action, action_id)
    stale = stale_unevaluated_ids(now - EVALUATION_STALE_AFTER)
    for start in range(0, len(stale), 200):
        enqueue_now("ingest", evaluate_comments, stale[start : start + 200])
    from moderation.alerts import dispatch_housekeeping

    return {
        "channels": polled,
        "actions": len(actions),
        "reevaluated": len(stale),
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


def run_backtest(backtest_id: int) -> None:
    from moderation.backtest import run

    with audit_context(job_id=_job_id()):
        run(backtest_id)
