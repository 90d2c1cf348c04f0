"""Storing comments as they arrive: idempotent, in bulk, before anything else happens to them.

The unique key is (channel, platform id): a poll overlap or a webhook retry that delivers a
comment again changes nothing. Evaluation is enqueued after commit, in batches. Items a
connector could not read, and values it had to replace, are quarantined in the same transaction
(``QuarantinedItem``), so a page's cursor never moves past an item that was not kept somewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.erasure import erased_id
from moderation.actions.quarantine import quarantined_raw
from moderation.bulk import insert_new
from moderation.connectors.base import FetchedComment, Quarantined
from moderation.jsontext import JsonText
from moderation.models import Author, Channel, Comment, Post, QuarantinedItem
from smpolicy.queue import enqueue_each_on_commit

MAX_TEXT_LENGTH = 100_000
EVALUATION_BATCH = 1000
# A platform's raw item larger than this (as text) is not kept; the comment's text always is.
MAX_RAW_SIZE = 50_000


@dataclass
class StoreResult:
    new_comment_ids: list[int] = field(default_factory=list)
    already_stored: int = 0


def _clean_text(text: str) -> str:
    # PostgreSQL text cannot hold NUL; everything else is kept exactly as received.
    return text.replace("\x00", "\ufffd")[:MAX_TEXT_LENGTH]


def _store_authors(platform: str, fetched: Collection[FetchedComment]) -> dict[str, int]:
    """Author ids by platform id, storing the authors not seen before."""
    wanted = {c.author.platform_id[:128]: c.author for c in fetched}
    stored = Author.objects.filter(platform=platform)
    ids = dict(stored.filter(platform_id__in=list(wanted)).values_list("platform_id", "id"))
    inserted = insert_new(
        Author,
        [
            {
                "platform": platform,
                "platform_id": platform_id,
                "handle": _clean_text(a.handle)[:200],
                "display_name": _clean_text(a.display_name)[:200],
            }
            for platform_id, a in wanted.items()
            if platform_id not in ids
        ],
        unique=("platform", "platform_id"),
    )
    ids.update({platform_id: pk for (_, platform_id), pk in inserted.items()})
    if missing := [platform_id for platform_id in wanted if platform_id not in ids]:
        # Stored by a concurrent delivery between the two statements above.
        ids.update(stored.filter(platform_id__in=missing).values_list("platform_id", "id"))
    return ids


def _store_posts(channel: Channel, fetched: Collection[FetchedComment]) -> dict[str, int]:
    posts: dict[str, Post] = {}
    for c in fetched:
        if not c.post_platform_id or c.post_platform_id in posts:
            continue
        posts[c.post_platform_id] = Post(
            channel=channel,
            platform_id=c.post_platform_id[:128],
            text=_clean_text(c.post.text) if c.post else "",
            permalink=(c.post.permalink[:500] if c.post else ""),
            created_at=c.post.created_at if c.post else None,
        )
    Post.objects.bulk_create(list(posts.values()), ignore_conflicts=True)
    return dict(
        Post.objects.filter(channel=channel, platform_id__in=list(posts)).values_list(
            "platform_id", "id"
        )
    )


def _raw(raw: Mapping[str, Any]) -> JsonText:
    """The platform's item as stored: written as JSON once, here, and dropped when too large
    (every field we use is already mapped; the raw item is kept for reference)."""
    text = JsonText.of(dict(raw))
    return text if len(text) < MAX_RAW_SIZE else JsonText("{}")


def _quarantine(
    channel: Channel,
    source: str,
    rejected: Sequence[Quarantined],
    corrected: Sequence[tuple[int, FetchedComment]],
    now: dt.datetime,
) -> int:
    """Keep the items that could not be read, and note the stored comments with values replaced.

    An item already quarantined on this channel for the same reason is not kept again: a
    webhook retried by Meta, or a message listed at every poll, would otherwise pile up."""
    known = (
        set(
            QuarantinedItem.objects.filter(
                channel=channel,
                outcome=QuarantinedItem.Outcome.REJECTED,
                reason__in=[item.reason for item in rejected],
            ).values_list("reason", flat=True)
        )
        if rejected
        else set()
    )
    rows = [
        QuarantinedItem(
            channel=channel,
            source=source,
            outcome=QuarantinedItem.Outcome.REJECTED,
            platform_id=item.platform_id[:512],
            reason=item.reason,
            raw=quarantined_raw(item.raw),
            created_at=now,
        )
        for item in {item.reason: item for item in rejected if item.reason not in known}.values()
    ]
    rows += [
        QuarantinedItem(
            channel=channel,
            comment_id=comment_id,
            source=source,
            outcome=QuarantinedItem.Outcome.CORRECTED,
            platform_id=c.platform_id[:512],
            reason="; ".join(c.corrections),
            raw=quarantined_raw(c.raw),
            created_at=now,
        )
        for comment_id, c in corrected
    ]
    QuarantinedItem.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def do_store_comments(
    channel: Channel,
    fetched: Sequence[FetchedComment],
    *,
    actor: Actor,
    cursor: str | None = None,
    received_at: dt.datetime | None = None,
    quarantined: Sequence[Quarantined] = (),
    source: str = QuarantinedItem.Source.POLL,
) -> StoreResult:
    """Store what is new; optionally advance the channel's cursor in the same transaction.

    ``received_at`` is for loading history (the demo's past week): it defaults to now.
    ``quarantined`` are the items of the same pages that could not be read: they are kept, with
    their reasons, in the same transaction.

    Advancing the cursor together with the rows means a crash either keeps both or neither, so
    the next poll resumes exactly where the stored data ends.
    """
    result = StoreResult()
    now = received_at or timezone.now()
    corrected: list[tuple[int, FetchedComment]] = []
    unique: dict[str, FetchedComment] = {}
    for c in fetched:
        # The council's own posts and replies are never incoming comments (connectors leave
        # them out too; this also covers webhooks and imports).
        if c.author.platform_id and c.author.platform_id == channel.account_id:
            continue
        unique.setdefault(c.platform_id[:128], c)
    for platform_id in _erased_on_request(channel, unique):
        del unique[platform_id]  # a re-delivery must not undo an erasure
    if unique:
        # No read of what is stored already: the INSERT's conflict check on the unique index
        # says which rows are new. (A SELECT by channel and platform ids, planned on statistics
        # that do not know a channel still being backfilled, reads every stored row of the
        # channel for each batch.)
        authors = _store_authors(channel.platform, unique.values())
        posts = _store_posts(channel, unique.values())
        # A concurrent delivery of the same comment wins quietly: it is not this call's.
        stored = insert_new(
            Comment,
            [
                {
                    "channel_id": channel.pk,
                    "platform_id": platform_id,
                    "post_id": posts.get(c.post_platform_id),
                    "parent_platform_id": c.parent_platform_id[:128],
                    "author_id": authors[c.author.platform_id[:128]],
                    "text": _clean_text(c.text),
                    "permalink": c.permalink[:500],
                    "raw": _raw(c.raw),
                    "created_at": c.created_at or now,
                    "received_at": now,
                    "private": c.private,
                    "platform_status": c.platform_status[:20],
                    # Held by the platform itself (YouTube): not public until approved.
                    "visibility": (
                        Comment.Visibility.HIDDEN
                        if c.platform_status
                        else Comment.Visibility.VISIBLE
                    ),
                }
                for platform_id, c in unique.items()
            ],
            unique=("channel_id", "platform_id"),
        )
        result.new_comment_ids = sorted(stored.values())
        result.already_stored = len(fetched) - len(stored)
        inserted = {platform_id for _, platform_id in stored}
        corrected = [
            (pk, unique[platform_id])
            for (_, platform_id), pk in stored.items()
            if unique[platform_id].corrections
        ]
        _link_parents(
            channel,
            [c for pid, c in unique.items() if pid in inserted and c.parent_platform_id],
        )
    held = _quarantine(channel, source, quarantined, corrected, now)
    cursor_moved = cursor is not None and cursor != channel.cursor
    if cursor_moved:
        Channel.objects.filter(pk=channel.pk).update(cursor=cursor)
        channel.cursor = cursor or ""
    # A poll that stored nothing, quarantined nothing and left the cursor where it was changed
    # nothing: no event (polls every two minutes on every channel made half of a day's audit
    # log "stored 0").
    if result.new_comment_ids or cursor_moved or held:
        record(
            "moderation.comments.stored",
            actor=actor,
            target=channel,
            channel_id=channel.pk,
            data={
                "stored": len(result.new_comment_ids),
                "already_stored": result.already_stored,
                "comment_ids": result.new_comment_ids[:1000],
                "cursor_advanced": cursor_moved,
                "quarantined": len(quarantined),
                "corrected": len(corrected),
            },
        )
    ids = result.new_comment_ids
    batches = [ids[i : i + EVALUATION_BATCH] for i in range(0, len(ids), EVALUATION_BATCH)]
    enqueue_each_on_commit(
        "ingest", "moderation.jobs.evaluate_comments", [(batch,) for batch in batches]
    )
    return result


def _erased_on_request(channel: Channel, fetched: Mapping[str, FetchedComment]) -> list[str]:
    """The platform ids among ``fetched`` of comments erased on request (stored under their
    keyed pseudonym, ``erasure.erased_id``)."""
    if not fetched:
        return []
    pseudonyms = {erased_id(platform_id): platform_id for platform_id in fetched}
    erased = Comment.objects.filter(channel=channel, platform_id__in=list(pseudonyms))
    return [pseudonyms[p] for p in erased.values_list("platform_id", flat=True)]


def _link_parents(channel: Channel, replies: Sequence[FetchedComment]) -> None:
    parent_ids = dict(
        Comment.objects.filter(
            channel=channel, platform_id__in={c.parent_platform_id for c in replies}
        ).values_list("platform_id", "id")
    )
    for c in replies:
        if c.parent_platform_id in parent_ids:
            Comment.objects.filter(
                channel=channel, platform_id=c.platform_id, parent__isnull=True
            ).update(parent_id=parent_ids[c.parent_platform_id])


@transaction.atomic
def do_record_poll_failure(
    channel: Channel, message: str, *, actor: Actor, wait_seconds: float | None = None
) -> None:
    """Mark the channel failing; when the platform said how long to wait (X's monthly cap, a
    login quota) and that is longer than the poll interval, it is not polled before then."""
    before = _error_summary(channel.status, channel.last_error)
    now = timezone.now()
    channel.status = Channel.Status.ERROR
    channel.last_error = message[:2000]
    channel.last_polled_at = now
    channel.paused_until = (
        now + dt.timedelta(seconds=wait_seconds)
        if wait_seconds and wait_seconds > channel.poll_interval_seconds
        else None
    )
    channel.save(update_fields=["status", "last_error", "last_polled_at", "paused_until"])
    record(
        "moderation.channel.poll_failed",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=before,
        after={
            "status": channel.status,
            "last_error": channel.last_error,
            "paused_until": channel.paused_until,
        },
    )


@transaction.atomic
def do_record_poll_success(
    channel: Channel,
    problems: Sequence[str],
    *,
    actor: Actor,
    reads: int = 0,
    fetched: Mapping[str, int] | None = None,
) -> None:
    """Mark the channel healthy, or note the malformed items a page contained; count the
    poll's billable reads (X) in the month's total; keep what the poll fetched (counts) for the
    channel's health page."""
    status = Channel.Status.OK
    last_error = "; ".join(problems)[:2000] if problems else ""
    changed = channel.status != status or channel.last_error != last_error
    before = _error_summary(channel.status, channel.last_error)
    now = timezone.now()
    channel.status, channel.last_error = status, last_error
    channel.last_polled_at = channel.last_success_at = now
    channel.last_fetched = dict(fetched or {})
    channel.paused_until = None
    month = f"{now:%Y-%m}"
    if channel.reads_month != month:
        channel.reads_month, channel.reads_in_month = month, 0
    channel.reads_in_month += reads
    channel.save(
        update_fields=[
            "status",
            "last_error",
            "last_polled_at",
            "last_success_at",
            "last_fetched",
            "paused_until",
            "reads_month",
            "reads_in_month",
        ]
    )
    if changed:
        record(
            "moderation.channel.status_changed",
            actor=actor,
            target=channel,
            channel_id=channel.pk,
            before=before,
            after={"status": status, "problems": len(problems)},
        )


def _error_summary(status: str, last_error: str) -> dict[str, object]:
    """A channel's state for the audit log. Not the problems' text: it names the items skipped by
    their ids, which may hold their authors' (a Bluesky post's URI holds its author's DID), and
    the audit log outlives erasure. The channel keeps the text until the next poll."""
    return {"status": status, "had_problems": bool(last_error)}


@transaction.atomic
def do_record_webhook_problems(channel: Channel, problems: Sequence[str], *, actor: Actor) -> None:
    """Show on the channel what a webhook delivery held that could not be read.

    The status and the poll time are left alone: a delivery says nothing about whether polling
    works, and the next poll must still happen on schedule.
    """
    last_error = "; ".join(problems)[:2000]
    if not last_error or last_error == channel.last_error:
        return
    before = _error_summary(channel.status, channel.last_error)
    Channel.objects.filter(pk=channel.pk).update(last_error=last_error)
    channel.last_error = last_error
    record(
        "moderation.channel.status_changed",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        before=before,
        after={"status": channel.status, "problems": len(problems)},
    )
