"""The period a managers' report covers, the comments it counts, and the definitions every section
of the report shares (also in ``docs/reports.md``):

- a comment is *received in the period* when ``received_at`` falls in it (days are London days);
- a comment is *flagged* when a live rule matched it with an outcome other than "record only";
- an outcome is *automatic* when no person asked for it (``ModerationAction.actor`` is empty);
- a platform action *stands* when it reached the platform or is on its way (not cancelled, not
  failed for good) and was not taken back: a hide by a later unhide of the comment, a block by a
  later unblock of the author;
- *time to first action* runs from ``received_at`` to ``first_action_at`` in monitored time only;
- *past due* is a snapshot at report time, as ``moderation.deadlines.past_due`` defines it for
  every page: an open item whose first action was due before now, or, once it is escalated, whose
  earliest open escalation's deadline has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from moderation.hours import LONDON
from moderation.models import PLATFORM_CHOICES, Comment, Flag, ModerationAction
from rules.models import CATEGORY_CHOICES, NO_CATEGORY_LABEL

CATEGORY_LABELS = dict(CATEGORY_CHOICES)


def category_label(category: str) -> str:
    """A category in words; a flag with no category is a campaign signal (in no category)."""
    return CATEGORY_LABELS.get(category, category) if category else NO_CATEGORY_LABEL


PLATFORM_LABELS = dict(PLATFORM_CHOICES)
FINISHED_STATUSES = (Comment.Status.DONE, Comment.Status.CLEAN)


@dataclass(frozen=True)
class ReportPeriod:
    """London calendar days ``start``..``end`` inclusive, optionally one channel only."""

    start: dt.date
    end: dt.date
    channel_id: int | None = None

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(0, 0), tzinfo=LONDON)

    @property
    def end_at(self) -> dt.datetime:
        """Exclusive: midnight at the start of the day after ``end``."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=n) for n in range(max(count, 0))]

    @property
    def label(self) -> str:
        if self.start == self.end:
            return long_date(self.start)
        return f"{long_date(self.start)} to {long_date(self.end)}"


def long_date(day: dt.date) -> str:
    """ "5 August 2026": the form a committee paper uses (no platform-specific strftime flags)."""
    return f"{day.day} {day:%B %Y}"


def comments_in(period: ReportPeriod) -> QuerySet[Comment]:
    comments = Comment.objects.filter(
        received_at__gte=period.start_at, received_at__lt=period.end_at
    )
    if period.channel_id is not None:
        comments = comments.filter(channel_id=period.channel_id)
    return comments


# Withdrawn before it was sent, or failed for good: the action changed nothing on the platform.
NOT_DONE_STATES = (ModerationAction.State.CANCELLED, ModerationAction.State.FAILED)


def standing_actions(period: ReportPeriod) -> QuerySet[ModerationAction]:
    """Platform actions requested in the period that stand (see the module's docstring)."""
    done = ModerationAction.objects.exclude(state__in=NOT_DONE_STATES)
    later = done.filter(requested_at__gt=OuterRef("requested_at"))
    unhidden = later.filter(kind=ModerationAction.Kind.UNHIDE, comment_id=OuterRef("comment_id"))
    unblocked = later.filter(kind=ModerationAction.Kind.UNBLOCK, author_id=OuterRef("author_id"))
    actions = (
        done.filter(requested_at__gte=period.start_at, requested_at__lt=period.end_at)
        .exclude(Q(kind=ModerationAction.Kind.HIDE) & Exists(unhidden))
        .exclude(Q(kind=ModerationAction.Kind.BLOCK) & Exists(unblocked))
    )
    if period.channel_id is not None:
        actions = actions.filter(channel_id=period.channel_id)
    return actions


def acting_flags() -> QuerySet[Flag]:
    """Live flags that asked for something: shadow and record-only matches do not flag a comment."""
    return Flag.objects.filter(shadow=False).exclude(outcome="none")


def is_flagged() -> Exists:
    return Exists(acting_flags().filter(comment=OuterRef("pk")))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
