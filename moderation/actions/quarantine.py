"""Stored comments that cannot go through evaluation as they are: corrected, or held for a person.

Evaluation takes a batch of comments at a time; one comment that cannot be checked must not
stop the others (``moderation.jobs.evaluate_comments``). A comment whose stored time is
impossible (a year-1 ``createdAt`` stored before connectors refused it) has that time replaced
by when it was received and is then checked like any other. A comment the rules fail on is
taken out of evaluation and put in front of officers ("To review", high priority) with the
reason: it is never retried in a loop and never silently left unchecked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import Actor, PendingEvent, record, record_many
from accounts.models import User
from accounts.roles import user_can
from moderation.connectors.parsing import EARLIEST_TIME, FUTURE_TOLERANCE, iso, time_problem
from moderation.deadlines import due_time_for
from moderation.jsontext import JsonText
from moderation.models import Channel, Comment, QuarantinedItem

# Above any single rule of severity 2: an unchecked comment may be as bad as anything.
UNCHECKED_PRIORITY = 60
# A quarantined item is all there is of it, so more of it is kept than of a comment's raw item.
MAX_RAW_TEXT = 50_000


def quarantined_raw(raw: Any) -> str:
    """An item as JSON text for ``QuarantinedItem.raw``, cut at MAX_RAW_TEXT characters."""
    text = str(JsonText.of(raw))
    return text if len(text) <= MAX_RAW_TEXT else text[:MAX_RAW_TEXT] + "…"


def _still_new(comment_ids: list[int]) -> list[Comment]:
    return list(
        Comment.objects.select_for_update()
        .filter(pk__in=comment_ids, status=Comment.Status.NEW)
        .order_by("id")
    )


def _note(comment: Comment, outcome: str, reason: str, now: dt.datetime) -> None:
    """The quarantine record of a stored comment: why, and the item as the platform sent it."""
    QuarantinedItem.objects.create(
        channel_id=comment.channel_id,
        comment=comment,
        source=QuarantinedItem.Source.EVALUATION,
        outcome=outcome,
        platform_id=comment.platform_id,
        reason=reason,
        raw=quarantined_raw(comment.raw),
        created_at=now,
    )


def impossible_stored_times(limit: int = 1000) -> dict[int, str]:
    """Comments of any status whose stored time the connectors would now refuse (stored before
    times were checked), with what is wrong: id → problem."""
    now = timezone.now()
    rows = Comment.objects.filter(
        Q(created_at__lt=EARLIEST_TIME) | Q(created_at__gt=now + FUTURE_TOLERANCE)
    ).values_list("id", "created_at")[:limit]
    return {pk: problem for pk, created in rows if (problem := time_problem(created, now))}


@transaction.atomic
def do_correct_comment_times(
    problems: Mapping[int, str], *, actor: Actor, new_only: bool = True
) -> int:
    """Replace impossible stored times (``problems``: comment id → what is wrong) with the time
    each comment was received, and keep a note of the value replaced. Evaluation corrects new
    comments; the daily housekeeping (``new_only=False``) those already handled."""
    now = timezone.now()
    if new_only:
        comments = _still_new(list(problems))
    else:
        comments = list(Comment.objects.select_for_update().filter(pk__in=list(problems)))
    events = []
    for comment in comments:
        reason = (
            f"created time {problems[comment.pk]}; the time it was received "
            f"({iso(comment.received_at)}) is used instead"
        )
        _note(comment, QuarantinedItem.Outcome.CORRECTED, reason, now)
        Comment.objects.filter(pk=comment.pk).update(created_at=comment.received_at)
        events.append(
            PendingEvent(
                "moderation.comment.time_corrected",
                actor=actor,
                target=comment,
                channel_id=comment.channel_id,
                # The stored value, as text: year 1 cannot be written as an aware datetime in
                # every time zone the log is read in.
                before={"created_at": comment.created_at.isoformat()},
                after={"created_at": comment.received_at},
            )
        )
    record_many(events)
    return len(comments)


@transaction.atomic
def do_hold_unchecked_comments(failures: Mapping[int, str], *, actor: Actor) -> int:
    """Put comments the rules could not check (``failures``: comment id → why) in front of
    officers, with the reason; they are not evaluated again."""
    now = timezone.now()
    comments = _still_new(list(failures))
    channels = Channel.objects.in_bulk({c.channel_id for c in comments})
    events = []
    for comment in comments:
        reason = f"the rules could not check it: {failures[comment.pk]}"
        _note(comment, QuarantinedItem.Outcome.HELD, reason, now)
        due_at = _due(channels[comment.channel_id], comment.received_at)
        Comment.objects.filter(pk=comment.pk).update(
            status=Comment.Status.REVIEW, priority=UNCHECKED_PRIORITY, due_at=due_at
        )
        events.append(
            PendingEvent(
                "moderation.comment.held_unchecked",
                actor=actor,
                target=comment,
                channel_id=comment.channel_id,
                before={"status": Comment.Status.NEW},
                # Not the reason: an error's message may quote the comment, and the audit log
                # outlives erasure. The reason is on the quarantine record.
                after={"status": Comment.Status.REVIEW, "priority": UNCHECKED_PRIORITY},
            )
        )
    record_many(events)
    return len(comments)


def _due(channel: Channel, received_at: dt.datetime) -> dt.datetime | None:
    try:
        return due_time_for(channel, received_at)
    except (OverflowError, ValueError):  # the deadline cannot be computed either: due now
        return timezone.now()


@transaction.atomic
def do_reveal_quarantined_item(item: QuarantinedItem, *, actor: Actor) -> None:
    """Show a quarantined item as the platform sent it (it may hold personal data unmasked) to
    someone whose role allows revealing personal data, on the record."""
    if not isinstance(actor, User) or not user_can(actor, "reveal_personal_data"):
        raise PermissionError("Your role does not allow revealing personal data.")
    record(
        "moderation.quarantine.item_revealed",
        actor=actor,
        target=item,
        target_repr=f"quarantined item {item.pk}",
        channel_id=item.channel_id,
        data={"comment_id": item.comment_id, "outcome": item.outcome},
    )
