"""What erasing comments and authors means, for retention and erasure on request alike.

Erasure keeps the facts an audit needs (which rule flagged what, who did what and when) and
removes what a person wrote or is called: comment text, the platform's raw payload, permalinks,
notes, quoted words in flag explanations and escalation notes, reply texts addressed to them, and
the author's handle and display name once none of their comments is kept. Audit events are never
touched: they hold ids, counts and rule keys, never comment text or names (the free text an admin
types when recording an export or an erasure is cleaned of the person's names before it is
recorded), so the hash chain still verifies.

The audited actions that erase are in ``retention`` and ``erasure_on_request``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from django.conf import settings

from moderation.models import (
    Author,
    Comment,
    Escalation,
    Flag,
    ModerationAction,
    Note,
    QuarantinedItem,
)

ERASED = "[erased]"
# Text inside quotation marks in an explanation or an automatic note is the comment's own words.
_QUOTED = re.compile(
    r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»|‘[^’]*’|(?<!\w)'[^']*'(?!\w)", re.DOTALL
)
FINISHED_ACTION_STATES = (
    ModerationAction.State.SUCCEEDED,
    ModerationAction.State.FAILED,
    ModerationAction.State.CANCELLED,
)
MAX_REQUEST_FIELD = 300
ERASED_ID_PREFIX = "erased:"


@dataclass
class ErasureCounts:
    comments: int = 0
    flags: int = 0
    notes: int = 0
    escalation_notes: int = 0
    replies: int = 0
    authors: int = 0
    cancelled_actions: int = 0
    quarantined: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def strip_quoted(text: str, words: Iterable[str] = (), identity: Iterable[str] = ()) -> str:
    """``text`` without quoted passages, any of ``words`` (the comment's matched parts) or any of
    ``identity`` (what names the person: see ``strip_identity``)."""
    stripped = _QUOTED.sub(f'"{ERASED}"', text or "")
    for word in sorted({w for w in words if len(w.strip()) >= 2}, key=len, reverse=True):
        stripped = stripped.replace(word, ERASED)
    return strip_identity(stripped, identity)


def identity_of(author: Author) -> list[str]:
    """What names a person: their display name and each longer part of it, their handle (with
    and without "@") and their platform id."""
    names = [author.display_name, author.handle, author.handle.lstrip("@"), author.platform_id]
    names += [part for part in author.display_name.split() if len(part) >= 4]
    return sorted({n.strip() for n in names if len(n.strip()) >= 2 and n != ERASED}, key=len)


def strip_identity(text: str, identity: Iterable[str]) -> str:
    """``text`` with every whole-word occurrence of each of ``identity`` replaced by [erased]."""
    for value in sorted(set(identity), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", ERASED, text or "", flags=re.IGNORECASE)
    return text


def erased_id(platform_id: str) -> str:
    """The keyed pseudonym that replaces an erased platform id: it names no one without the
    deployment's SECRET_KEY, and it is the same for the same id, so a re-delivery of an erased
    comment is recognised (``moderation.actions.ingest``) instead of being stored again."""
    if platform_id.startswith(ERASED_ID_PREFIX):
        return platform_id
    digest = hmac.new(_erasure_key(settings.SECRET_KEY), platform_id.encode(), hashlib.sha256)
    return ERASED_ID_PREFIX + digest.hexdigest()[:40]


@functools.cache
def _erasure_key(secret: str) -> bytes:
    # Derived once per process (ingest asks for a pseudonym of every comment it stores).
    return hashlib.sha256(b"smpolicy.erasure:" + secret.encode()).digest()


def _span_texts(text: str, flags: Sequence[Flag]) -> list[str]:
    """The exact words the rules matched, so an explanation that repeats them loses them too."""
    words: list[str] = []
    for flag in flags:
        for span in flag.spans or []:
            try:
                start, end = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            if 0 <= start < end <= len(text):
                words.append(text[start:end])
    return words


def erase_comments(
    comment_ids: Sequence[int], now: dt.datetime, identity: Sequence[str] = ()
) -> ErasureCounts:
    """Erase the text and personal data of these comments (already locked by the caller), and
    ``identity`` (what names their author) wherever it is quoted about them."""
    counts = ErasureCounts()
    if not comment_ids:
        return counts
    texts = dict(Comment.objects.filter(pk__in=comment_ids).values_list("id", "text"))
    flags_by_comment: dict[int, list[Flag]] = {}
    for flag in Flag.objects.filter(comment_id__in=comment_ids).only(
        "id", "comment_id", "spans", "explanation"
    ):
        flags_by_comment.setdefault(flag.comment_id, []).append(flag)
    words_by_comment = {
        cid: [*_span_texts(texts.get(cid, ""), flags_by_comment.get(cid, [])), texts.get(cid, "")]
        for cid in comment_ids
    }

    changed_flags = []
    for cid, flags in flags_by_comment.items():
        for flag in flags:
            cleaned = strip_quoted(flag.explanation, words_by_comment.get(cid, []), identity)
            if cleaned != flag.explanation:
                flag.explanation = cleaned
                changed_flags.append(flag)
    Flag.objects.bulk_update(changed_flags, ["explanation"], batch_size=500)
    counts.flags = len(changed_flags)

    changed_escalations = []
    for escalation in Escalation.objects.filter(comment_id__in=comment_ids).only(
        "id", "comment_id", "note"
    ):
        cleaned = strip_quoted(
            escalation.note, words_by_comment.get(escalation.comment_id, []), identity
        )
        if cleaned != escalation.note:
            escalation.note = cleaned
            changed_escalations.append(escalation)
    Escalation.objects.bulk_update(changed_escalations, ["note"], batch_size=500)
    counts.escalation_notes = len(changed_escalations)

    counts.notes = (
        Note.objects.filter(comment_id__in=comment_ids).exclude(text=ERASED).update(text=ERASED)
    )
    # Replies greet the author by name; the platform's answer may echo them back.
    counts.replies = (
        ModerationAction.objects.filter(
            comment_id__in=comment_ids, state__in=FINISHED_ACTION_STATES
        )
        .exclude(text="", platform_response={})
        .update(text="", platform_response={})
    )
    counts.comments = Comment.objects.filter(pk__in=comment_ids).update(
        text="", masked_text="", raw={}, permalink="", redacted_at=now
    )
    # A quarantine record of these comments holds the item as received and may quote it.
    QuarantinedItem.objects.filter(comment_id__in=comment_ids).update(raw="", reason=ERASED)
    return counts


def erase_authors(author_ids: Iterable[int]) -> int:
    """Erase the names of these authors, and notes about them, once none of their comments
    still holds text (a comment kept for an open escalation keeps its author's name too)."""
    wanted = set(author_ids)
    kept = Comment.objects.filter(author_id__in=wanted, redacted_at__isnull=True)
    ids = list(
        Author.objects.filter(pk__in=wanted)
        .exclude(pk__in=kept.values("author_id"))
        .exclude(handle=ERASED, display_name=ERASED)
        .values_list("id", flat=True)
    )
    Note.objects.filter(author_id__in=ids).exclude(text=ERASED).update(text=ERASED)
    return Author.objects.filter(pk__in=ids).update(handle=ERASED, display_name=ERASED)
