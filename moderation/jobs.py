"""Background jobs. Each takes ids, reloads its rows and calls actions; each is safe to rerun."""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from django.db import connection, transaction
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
# How many comments before a batch its repetition and floods are judged against.
HISTORY_ROWS = 600
# A comment is compared with this many comments by others just before it.
OTHERS_RECENT = 50
STORE_BATCH = 1000
# The automatic hides of a batch go out in jobs of this many, not one job each: creating and
# enqueueing 3,000 rq jobs took longer than evaluating 3,000 comments, and jobs of 20 still
# let several workers share a batch's hides.
SEND_CHUNK = 20


def _job_id() -> str:
    try:
        from rq import get_current_job

        job = get_current_job()
        return job.id if job is not None else ""
    except Exception:  # no rq job outside a worker
        return ""


HistoryRow = tuple[int, int, int, dt.datetime, str]  # id, channel, author, created, text


class Incoming(NamedTuple):
    """What evaluation reads of a comment: no model instances for a batch of a thousand rows."""

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
        comments = unevaluated(comment_ids)
        if not comments:
            return 0
        org_settings = Organisation.current().engine_settings()
        contexts = _contexts(comments)
        channel_ids = {c.channel_id for c in comments}
        channels = Channel.objects.select_related("ruleset").in_bulk(channel_ids)
        verdicts = []
        now = timezone.now()
        for channel_id, group in _by_channel(comments).items():
            live, shadow = versions_in_force(channels[channel_id].ruleset, now)
            live_compiled = [(v.number, compiled_version(v, org_settings)) for v in live]
            shadow_compiled = [(v.number, compiled_version(v, org_settings)) for v in shadow]
            for comment in group:
                context = contexts[comment.id]
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
        return do_apply_verdicts(verdicts)


def unevaluated(comment_ids: Sequence[int]) -> list[Incoming]:
    """The comments among ``comment_ids`` still waiting for the rules, oldest first."""
    # Read by id only, status checked here: with the status in the query, the planner may pick
    # the partial index of unevaluated comments and walk every entry in it (a backlog has tens
    # of thousands), where the primary key finds the batch's rows directly.
    return [
        Incoming(*row[:-1])
        for row in Comment.objects.filter(pk__any_of=comment_ids)
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
            "status",
        )
        if row[-1] == Comment.Status.NEW
    ]


def _by_channel(comments: Sequence[Incoming]) -> dict[int, list[Incoming]]:
    groups: dict[int, list[Incoming]] = defaultdict(list)
    for c in comments:
        groups[c.channel_id].append(c)
    return groups


def _contexts(comments: Sequence[Incoming]) -> dict[int, Context]:
    """Each comment's context: the comments before it on its channel, one query per channel.

    The history is bounded by the batch's last id, not only by time: when a backlog is
    evaluated, later batches are already stored, and the newest rows of the channel would all
    come after this batch's comments. Each channel's history is read newest first by the index
    on (channel, id), so a batch reads its own comments and the HISTORY_ROWS before them, not
    every comment the channel received in the window: a backlog stored together shares one
    ``received_at``, and reading by time alone made each batch read all the batches before it.
    A comment is compared with the 50 comments by others and the 20 of its author's own that
    came just before it.
    """
    since = min(c.received_at for c in comments) - SPAM_WINDOW
    history: list[HistoryRow] = []
    for channel_id, group in _by_channel(comments).items():
        history += _history(channel_id, max(c.id for c in group), since, HISTORY_ROWS + len(group))
    history.sort()  # oldest first, so a comment's predecessors are found by bisection
    by_channel: dict[int, list[HistoryRow]] = defaultdict(list)
    by_author: dict[tuple[int, int], list[HistoryRow]] = defaultdict(list)
    for row in history:
        by_channel[row[1]].append(row)
        by_author[(row[1], row[2])].append(row)
    ids_by_channel = {channel: [row[0] for row in rows] for channel, rows in by_channel.items()}
    ids_by_author = {author: [row[0] for row in rows] for author, rows in by_author.items()}
    # Each channel's texts and authors as plain lists, cut to length once (not once for each
    # of the 50 comments after them), so that most comments' window is two slices.
    texts_by_channel = {c: [row[4][:2000] for row in rows] for c, rows in by_channel.items()}
    authors_by_channel = {c: [row[2] for row in rows] for c, rows in by_channel.items()}
    contexts = {}
    for comment in comments:
        texts = texts_by_channel.get(comment.channel_id, [])
        authors = authors_by_channel.get(comment.channel_id, [])
        before = bisect_left(ids_by_channel.get(comment.channel_id, []), comment.id)
        start = max(0, before - OTHERS_RECENT)
        if comment.author_id not in authors[start:before]:
            others = texts[start:before][::-1]  # newest first
        else:  # the author's own comments are among them: walk back past them
            others = []
            for index in range(before - 1, -1, -1):
                if authors[index] != comment.author_id:
                    others.append(texts[index])
                    if len(others) == OTHERS_RECENT:
                        break
        key = (comment.channel_id, comment.author_id)
        mine = by_author.get(key, [])[: bisect_left(ids_by_author.get(key, []), comment.id)]
        flood_since = comment.created_at - FLOOD_WINDOW
        contexts[comment.id] = Context(
            author_handle=comment.author_handle,
            author_name=comment.author_name,
            author_recent_texts=[row[4][:2000] for row in mine[-20:]],
            others_recent_texts=others,
            author_recent_count=sum(1 for row in mine if row[3] >= flood_since),
        )
    return contexts


def _history(channel_id: int, last_id: int, since: dt.datetime, rows: int) -> list[HistoryRow]:
    """The channel's ``rows`` newest comments up to ``last_id`` received since ``since``.

    Read newest first along the (channel, id) index. Just after a large store (a channel's
    first backfill, a burst) the table's statistics do not know the new rows yet: the planner
    then expects a handful and may choose a bitmap scan, which reads every row of the channel
    up to ``last_id`` and sorts them, 25 ms for the 16th batch of 1,000 where the index takes
    1.8 ms (docs/ingest.md). Bitmap scans are turned off for this one query.
    """
    query = (
        Comment.objects.filter(channel_id=channel_id, id__lte=last_id, received_at__gte=since)
        .order_by("-id")
        .values_list("id", "channel_id", "author_id", "created_at", "text")[:rows]
    )
    if connection.vendor != "postgresql":
        return list(query)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return list(query)


def send_action(action_id: int) -> str:
    return send_actions([action_id])[0]


def send_actions(action_ids: Sequence[int]) -> list[str]:
    """Send several outbox rows in turn: the automatic hides of one evaluated batch.

    Each row is claimed and recorded on its own, exactly as by ``send_action``; if the job dies
    half-way, the rows it did not reach are still due, and the scheduler enqueues them again.
    """
    from moderation.actions.outbox import perform_action

    with audit_context(job_id=_job_id()):
        return [perform_action(action_id) for action_id in action_ids]


def poll_channel(channel_id: int) -> int:
    """Fetch every new page for a channel and store it; returns the number of new comments."""
    from moderation.actions.ingest import (
        do_record_poll_failure,
        do_record_poll_success,
        do_store_comments,
    )
    from moderation.connectors.base import ConnectorError, FetchedComment
    from moderation.platforms import connector_for
    from moderation.read_ahead import PagesAhead, caught_up

    channel = Channel.objects.get(pk=channel_id)
    actor = SystemActor.connector(f"{channel.platform} connector ({channel.name})")
    stored = 0
    reads = 0
    problems: list[str] = []
    with audit_context(job_id=_job_id()):
        try:
            connector = connector_for(channel)
            cursor: str | None = channel.cursor or None
            pending: list[FetchedComment] = []
            # The next pages are fetched in a thread while these are stored (read_ahead.py).
            with PagesAhead(connector, cursor, limit=MAX_PAGES_PER_POLL) as pages:
                for page in pages:
                    problems += list(page.problems)
                    reads += page.reads
                    pending += page.comments
                    last = caught_up(page, cursor)
                    cursor = page.next_cursor or cursor
                    # Pages are stored a few at a time: fewer, larger transactions and
                    # evaluation batches, while a crash still loses at most the pages not yet
                    # stored.
                    if last or len(pending) >= STORE_BATCH:
                        result = do_store_comments(
                            channel, pending, actor=actor, cursor=cursor or ""
                        )
                        stored += len(result.new_comment_ids)
                        pending = []
        except (ConnectorError, ValueError) as error:
            log.warning("Polling %s failed: %s", channel, error)
            wait = error.retry_after if isinstance(error, ConnectorError) else None
            do_record_poll_failure(channel, str(error), actor=actor, wait_seconds=wait)
            return stored
        for problem in problems:
            log.warning("Polling %s: %s", channel, problem)
        do_record_poll_success(channel, problems, actor=actor, reads=reads)
    return stored


def dispatch_due_work() -> dict[str, int]:
    """One scheduler tick: poll channels that are due, and resend actions whose time has come."""
    from moderation.actions.outbox import due_action_ids
    from smpolicy.queue import enqueue_now

    now = timezone.now()
    polled = 0
    channels = Channel.objects.filter(enabled=True).exclude(platform="import")
    # A channel the platform told to wait (X's monthly cap) is not polled before then.
    for channel in channels.exclude(paused_until__gt=now):
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


def subscribe_channel_to_webhooks(channel_id: int) -> None:
    """Subscribe a Meta channel's account to the app (`POST /{id}/subscribed_apps`), outside
    any web request, and record the platform's answer."""
    # Imported here, as in poll_channel: the actions import this module.
    from moderation.actions.configuration import do_record_webhook_subscription
    from moderation.connectors.base import ConnectorError
    from moderation.platforms import connector_for

    channel = Channel.objects.get(pk=channel_id)
    with audit_context(job_id=_job_id()):
        connector = connector_for(channel)
        subscribe = getattr(connector, "subscribe_webhooks", None)
        if subscribe is None:
            do_record_webhook_subscription(channel, f"{channel.platform} has no Meta webhooks")
            return
        try:
            subscribe()
        except ConnectorError as error:
            do_record_webhook_subscription(channel, str(error))
            return
        do_record_webhook_subscription(channel, "")


def run_backtest(backtest_id: int) -> None:
    from moderation.backtest import run

    with audit_context(job_id=_job_id()):
        run(backtest_id)
