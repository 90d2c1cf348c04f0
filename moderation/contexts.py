"""The context the rules engine judges a comment in: the comments before it on its channel.

Live evaluation (``moderation.jobs.evaluate_comments``) and backtests (``moderation.backtest``)
both build it here, so a backtest judges repetition and floods exactly as they were judged live.
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from django.db import connection, transaction

from moderation.models import Comment
from rules.engine import Context

log = logging.getLogger(__name__)

SPAM_WINDOW = dt.timedelta(hours=24)
FLOOD_WINDOW = dt.timedelta(minutes=10)
# How many comments before a batch its repetition and floods are judged against.
HISTORY_ROWS = 600
# A comment is compared with this many comments by others just before it.
OTHERS_RECENT = 50

# id, channel, author, created, text, received
HistoryRow = tuple[int, int, int, dt.datetime, str, dt.datetime]
# The columns of ``Incoming``, as a comment query reads them.
INCOMING_COLUMNS = (
    "id",
    "channel_id",
    "author_id",
    "text",
    "created_at",
    "received_at",
    "author__handle",
    "author__display_name",
)


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


def group_by_channel(comments: Sequence[Incoming]) -> dict[int, list[Incoming]]:
    groups: dict[int, list[Incoming]] = defaultdict(list)
    for c in comments:
        groups[c.channel_id].append(c)
    return groups


def failure_reason(comment_id: int, error: BaseException) -> str:
    """What an officer is told about a comment the rules failed on (the log has the trace)."""
    log.exception("Evaluating comment %s failed; it is held for a person", comment_id)
    return f"{type(error).__name__}: {str(error)[:300]}"


def contexts_for(
    comments: Sequence[Incoming], failures: dict[int, str] | None = None
) -> dict[int, Context]:
    """Each comment's context: the comments before it on its channel, one query per channel.

    A comment whose context cannot be built (a stored time that overflows, a bug) is left out,
    not its batch, and ``failures`` is told why.

    The history is bounded by the batch's last id, not only by time: when a backlog is
    evaluated, later batches are already stored, and the newest rows of the channel would all
    come after this batch's comments. Each channel's history is read newest first by the index
    on (channel, id), so a batch reads its own comments and the HISTORY_ROWS before them, not
    every comment the channel received in the window: a backlog stored together shares one
    ``received_at``, and reading by time alone made each batch read all the batches before it.
    A comment is compared with the 50 comments by others and the 20 of its author's own that
    came just before it, received in the day (SPAM_WINDOW) before it was. That window is each
    comment's own, not its batch's: a backtest reads 500 comments spread over days at once, and
    a repeat three days after the first post, no repetition when it arrived, must not become one
    there.
    """
    since = min(c.received_at for c in comments) - SPAM_WINDOW
    history: list[HistoryRow] = []
    for channel_id, group in group_by_channel(comments).items():
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
    received_by_channel = {c: [row[5] for row in rows] for c, rows in by_channel.items()}
    contexts: dict[int, Context] = {}
    for comment in comments:
        try:
            contexts[comment.id] = _context(
                comment,
                texts_by_channel.get(comment.channel_id, []),
                authors_by_channel.get(comment.channel_id, []),
                received_by_channel.get(comment.channel_id, []),
                ids_by_channel.get(comment.channel_id, []),
                by_author,
                ids_by_author,
            )
        except Exception as error:  # one comment must not stop its batch
            if failures is not None:
                failures[comment.id] = failure_reason(comment.id, error)
    return contexts


def _context(
    comment: Incoming,
    texts: list[str],
    authors: list[int],
    received: list[dt.datetime],
    channel_ids: list[int],
    by_author: dict[tuple[int, int], list[HistoryRow]],
    ids_by_author: dict[tuple[int, int], list[int]],
) -> Context:
    """One comment's context, from its channel's history (see ``contexts_for``)."""
    before = bisect_left(channel_ids, comment.id)
    start = max(0, before - OTHERS_RECENT)
    window = comment.received_at - SPAM_WINDOW
    if comment.author_id not in authors[start:before] and all(
        at >= window for at in received[start:before]
    ):
        others = texts[start:before][::-1]  # newest first
    else:  # the author's own comments or older ones are among them: walk back past them
        others = []
        for index in range(before - 1, -1, -1):
            if authors[index] != comment.author_id and received[index] >= window:
                others.append(texts[index])
                if len(others) == OTHERS_RECENT:
                    break
    key = (comment.channel_id, comment.author_id)
    mine = [
        row
        for row in by_author.get(key, [])[: bisect_left(ids_by_author.get(key, []), comment.id)]
        if row[5] >= window
    ]
    flood_since = comment.created_at - FLOOD_WINDOW
    return Context(
        author_handle=comment.author_handle,
        author_name=comment.author_name,
        author_recent_texts=[row[4][:2000] for row in mine[-20:]],
        others_recent_texts=others,
        author_recent_count=sum(1 for row in mine if row[3] >= flood_since),
    )


def _history(channel_id: int, last_id: int, since: dt.datetime, rows: int) -> list[HistoryRow]:
    """The channel's ``rows`` newest comments up to ``last_id`` received since ``since``.

    Read newest first along the (channel, id) index. Just after a large store (a channel's
    first backfill, a burst) the table's statistics do not know the new rows yet: the planner
    then expects a handful and may choose a bitmap scan, which reads every row of the channel
    up to ``last_id`` and sorts them: the cost grows with every batch of a backfill, where the
    index reads only the rows wanted. Bitmap scans are turned off for this one query.
    """
    query = (
        Comment.objects.filter(channel_id=channel_id, id__lte=last_id, received_at__gte=since)
        .order_by("-id")
        .values_list("id", "channel_id", "author_id", "created_at", "text", "received_at")[:rows]
    )
    if connection.vendor != "postgresql":
        return list(query)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return list(query)
