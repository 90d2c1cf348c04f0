"""Campaigns: the same words posted by several people (rule ``spam.campaign``).

Lawful speech, so a signal, not a category (not spam) and never hidden automatically: each copy
goes to review with a campaign key (a
digest of its folded words) and the queue shows every open copy as one row, with how many and
by whom, and a link that lists them all ticked, to be acted on together.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from moderation.bulk import update_rows
from moderation.models import Comment
from rules.engine.types import CAMPAIGN

if TYPE_CHECKING:
    from rules.engine import Match

OPEN_STATUSES = (Comment.Status.REVIEW, Comment.Status.HELD, Comment.Status.ESCALATED)
AUTHORS_SHOWN = 5
_NOT_WORD = re.compile(r"[\W_]+")


def is_campaign_match(match: Match) -> bool:
    """The engine's campaign signal: the default rule's, or any spam rule a rule set names as a
    campaign (``rules.engine.types.signal_of``). It is in no category: not spam."""
    return match.signal == CAMPAIGN


def campaign_key(text: str) -> str:
    """Copies with different case, spacing, punctuation or accents share a key."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", folded).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def store_campaign_keys(matches_by_comment: dict[int, Sequence[Match]]) -> None:
    """Give each comment a campaign rule matched its campaign key (one query more, for those
    comments only)."""
    ids = [pk for pk, matches in matches_by_comment.items() if any(map(is_campaign_match, matches))]
    if not ids:
        return
    texts = Comment.objects.filter(pk__in=ids).values_list("id", "text")
    update_rows(
        Comment,
        [{"id": pk, "campaign_key": campaign_key(text)} for pk, text in texts],
        ["campaign_key"],
    )


@dataclass(frozen=True)
class Campaign:
    key: str
    count: int
    authors: list[str]  # the first few, as shown
    people: int


def open_campaigns(keys: Collection[str]) -> dict[str, Campaign]:
    """The open copies of each campaign on a page: how many, and by whom."""
    if not keys:
        return {}
    rows = (
        Comment.objects.filter(campaign_key__in=list(keys), status__in=OPEN_STATUSES)
        .order_by("id")
        .values_list("campaign_key", "author_id", "author__handle", "author__display_name")
    )
    counts: dict[str, int] = {}
    authors: dict[str, dict[int, str]] = {}
    for key, author_id, handle, name in rows:
        counts[key] = counts.get(key, 0) + 1
        authors.setdefault(key, {}).setdefault(author_id, handle or name or "someone")
    return {
        key: Campaign(
            key=key,
            count=counts[key],
            authors=list(authors[key].values())[:AUTHORS_SHOWN],
            people=len(authors[key]),
        )
        for key in counts
    }
