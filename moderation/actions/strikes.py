"""Giving and taking back strikes, inside the hide, removal, rejection, undo and appeal actions.

The count on the author is changed by the database, not read and written back: two actions on
one person's comments at the same moment must both count. Each strike also gets a dated row
(``Strike``) naming the comment and the action, so a manager sees when.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from moderation.models import Author, Comment, ModerationAction, Strike


@dataclass(frozen=True)
class GivenStrike:
    comment: Comment
    verb: str  # one of Strike.Verb
    given_by_label: str
    action: ModerationAction | None = None


def give_strikes(given: Sequence[GivenStrike], *, at: dt.datetime | None = None) -> None:
    if not given:
        return
    at = at or timezone.now()
    per_author: dict[int, int] = defaultdict(int)
    for strike in given:
        per_author[strike.comment.author_id] += 1
    # One UPDATE per distinct number of new strikes, not one per author.
    authors_by_count: dict[int, list[int]] = defaultdict(list)
    for author_id, count in per_author.items():
        authors_by_count[count].append(author_id)
    for count, author_ids in authors_by_count.items():
        Author.objects.filter(pk__in=author_ids).update(strikes=F("strikes") + count)
    Strike.objects.bulk_create(
        Strike(
            author_id=strike.comment.author_id,
            comment_id=strike.comment.pk,
            action=strike.action,
            verb=strike.verb,
            given_by_label=strike.given_by_label[:200],
            given_at=at,
        )
        for strike in given
    )


def take_back_strike(comment: Comment, *, because: str) -> None:
    """Take back the strike ``comment`` gave its author (an undo, an upheld appeal)."""
    Author.objects.filter(pk=comment.author_id, strikes__gt=0).update(strikes=F("strikes") - 1)
    latest = (
        Strike.objects.filter(comment_id=comment.pk, taken_back_at__isnull=True)
        .order_by("-given_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is not None:
        Strike.objects.filter(pk=latest).update(
            taken_back_at=timezone.now(), taken_back_because=because[:200]
        )
