"""Data protection: erasing comment text and personal data on a schedule (retention) or when a
person asks (erasure on request), and exporting everything held about a person (subject access).

Erasure keeps the facts an audit needs (which rule flagged what, who did what and when) and
removes what a person wrote or is called: comment text, the platform's raw payload, permalinks,
notes, quoted words in flag explanations and escalation notes, reply texts addressed to them, and
the author's handle and display name once none of their comments is kept. Audit events are never
touched: they hold ids, counts and rule keys, not comment text, so the hash chain still verifies.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import Actor, SystemActor, record
from moderation.actions.evidence import held_comment_ids
from moderation.models import (
    Author,
    Comment,
    Escalation,
    Flag,
    ModerationAction,
    Note,
    Organisation,
)

ERASED = "[erased]"
RETENTION_BATCH = 2_000
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


@dataclass
class ErasureCounts:
    comments: int = 0
    flags: int = 0
    notes: int = 0
    escalation_notes: int = 0
    replies: int = 0
    authors: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def strip_quoted(text: str, words: Iterable[str] = ()) -> str:
    """``text`` without quoted passages or any of ``words`` (the comment's matched parts)."""
    stripped = _QUOTED.sub(f'"{ERASED}"', text or "")
    for word in sorted({w for w in words if len(w.strip()) >= 2}, key=len, reverse=True):
        stripped = stripped.replace(word, ERASED)
    return stripped


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


def _erase_comments(comment_ids: Sequence[int], now: dt.datetime) -> ErasureCounts:
    """Erase the text and personal data of these comments (already locked by the caller)."""
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
            cleaned = strip_quoted(flag.explanation, words_by_comment.get(cid, []))
            if cleaned != flag.explanation:
                flag.explanation = cleaned
                changed_flags.append(flag)
    Flag.objects.bulk_update(changed_flags, ["explanation"], batch_size=500)
    counts.flags = len(changed_flags)

    changed_escalations = []
    for escalation in Escalation.objects.filter(comment_id__in=comment_ids).only(
        "id", "comment_id", "note"
    ):
        cleaned = strip_quoted(escalation.note, words_by_comment.get(escalation.comment_id, []))
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
        text="", raw={}, permalink="", redacted_at=now
    )
    return counts


def _erase_authors(author_ids: Iterable[int]) -> int:
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


def comments_due_for_retention(now: dt.datetime | None = None) -> Any:
    """Comments older than the retention period, not yet erased, with no open escalation and
    no legal hold (on the comment or its author)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=Organisation.current().retention_days)
    return (
        Comment.objects.filter(received_at__lt=cutoff, redacted_at__isnull=True)
        .exclude(escalations__state=Escalation.State.OPEN)
        .exclude(pk__in=held_comment_ids())
        .order_by("id")
    )


@transaction.atomic
def do_apply_retention(
    *, actor: Actor | None = None, now: dt.datetime | None = None, limit: int = RETENTION_BATCH
) -> ErasureCounts:
    """Erase one batch of comments past the retention period; one audit event with the counts.

    Comments with an open escalation are kept until it closes (a statutory clock is running).
    Run it until it returns zero comments (``apply_retention`` does).
    """
    now = now or timezone.now()
    actor = actor or SystemActor.system("retention schedule")
    retention_days = Organisation.current().retention_days
    cutoff = now - dt.timedelta(days=retention_days)
    ids = list(
        Comment.objects.select_for_update(skip_locked=True)
        .filter(pk__in=comments_due_for_retention(now).values("id")[:limit])
        .values_list("id", flat=True)
    )
    counts = _erase_comments(ids, now)
    if ids:
        author_ids = set(
            Comment.objects.filter(pk__in=ids).values_list("author_id", flat=True).distinct()
        )
        counts.authors = _erase_authors(author_ids)
        record(
            "moderation.retention.applied",
            actor=actor,
            data={
                "retention_days": retention_days,
                "cutoff": cutoff,
                **counts.as_dict(),
                "first_comment_id": ids[0],
                "last_comment_id": ids[-1],
            },
        )
    return counts


def apply_retention_until_done(*, actor: Actor | None = None, max_batches: int = 1_000) -> int:
    """Run retention batches until nothing is due; returns the number of comments erased."""
    total = 0
    for _ in range(max_batches):
        counts = do_apply_retention(actor=actor)
        total += counts.comments
        if counts.comments == 0:
            break
    return total


@transaction.atomic
def do_erase_author_data(
    author: Author, *, actor: Actor, requested_by: str, reason: str
) -> ErasureCounts:
    """Erase everything a person wrote or is called, because they (or someone for them) asked.

    Comments under a legal hold are kept (and so is the author's name while any is kept); a
    hold on the author refuses the erasure outright. The audit event counts what was kept."""
    requested_by = requested_by.strip()[:MAX_REQUEST_FIELD]
    reason = reason.strip()[:MAX_REQUEST_FIELD]
    if not requested_by or not reason:
        raise ValueError("Say who asked for the erasure and why.")
    author = Author.objects.select_for_update().get(pk=author.pk)
    if author.legal_holds.filter(lifted_at__isnull=True).exists():
        raise ValueError(
            "This person is under a legal hold: nothing can be erased until it is lifted."
        )
    held = Comment.objects.filter(author=author, pk__in=held_comment_ids())
    kept_on_hold = held.count()
    ids = list(
        Comment.objects.select_for_update()
        .filter(author=author, redacted_at__isnull=True)
        .exclude(pk__in=held.values("pk"))
        .values_list("id", flat=True)
    )
    counts = _erase_comments(ids, timezone.now())
    counts.authors = _erase_authors([author.pk])
    record(
        "moderation.author.erased_on_request",
        actor=actor,
        target=author,
        # Never the handle: the audit log outlives the erasure.
        target_repr=f"author {author.pk} on {author.platform}",
        data={
            "requested_by": requested_by,
            "reason": reason,
            **counts.as_dict(),
            "kept_on_legal_hold": kept_on_hold,
        },
    )
    return counts


# --- Subject access ---------------------------------------------------------------------------


def _when(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def subject_access_data(author: Author) -> dict[str, Any]:
    """Everything held about one author: the person, their comments with flags, actions, notes
    and escalations, and notes about them. A fixed number of queries, whatever the volume."""
    comments = list(
        Comment.objects.filter(author=author)
        .select_related("channel", "post")
        .order_by("created_at", "id")
    )
    ids = [c.pk for c in comments]
    id_set = set(ids)
    flags: dict[int, list[dict[str, Any]]] = {}
    for f in Flag.objects.filter(comment_id__in=ids).order_by("id"):
        flags.setdefault(f.comment_id, []).append(
            {
                "category": f.category,
                "rule": f.rule_key,
                "rule_name": f.rule_name,
                "severity": f.severity,
                "outcome": f.outcome,
                "explanation": f.explanation,
                "shadow": f.shadow,
                "reversed": f.reversed,
                "created_at": _when(f.created_at),
            }
        )
    actions: dict[int | None, list[dict[str, Any]]] = {}
    for a in ModerationAction.objects.filter(Q(comment_id__in=ids) | Q(author=author)).order_by(
        "requested_at", "id"
    ):
        actions.setdefault(a.comment_id, []).append(
            {
                "kind": a.kind,
                "state": a.state,
                "text": a.text,
                "by": a.actor_label,
                "requested_at": _when(a.requested_at),
                "completed_at": _when(a.completed_at),
            }
        )
    notes: dict[int | None, list[dict[str, Any]]] = {}
    for n in Note.objects.filter(Q(comment_id__in=ids) | Q(author=author)).order_by("created_at"):
        key = n.comment_id if n.comment_id in id_set else None
        notes.setdefault(key, []).append(
            {"text": n.text, "by": n.written_by_label, "created_at": _when(n.created_at)}
        )
    escalations: dict[int, list[dict[str, Any]]] = {}
    for e in Escalation.objects.filter(comment_id__in=ids).select_related("route"):
        escalations.setdefault(e.comment_id, []).append(
            {
                "route": e.route.name,
                "state": e.state,
                "note": e.note,
                "deadline_at": _when(e.deadline_at),
                "created_at": _when(e.created_at),
                "closed_at": _when(e.closed_at),
            }
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "author": {
            "platform": author.platform,
            "platform_id": author.platform_id,
            "handle": author.handle,
            "display_name": author.display_name,
            "strikes": author.strikes,
            "blocked": author.blocked,
            "first_seen": _when(author.first_seen),
        },
        "notes_about_author": notes.get(None, []),
        "actions_on_author": [
            a for a in actions.get(None, []) if a["kind"] in ("block", "unblock")
        ],
        "comments": [
            {
                "id": c.pk,
                "channel": c.channel.name,
                "platform": c.channel.platform,
                "platform_id": c.platform_id,
                "on_post": c.post.text if c.post else "",
                "text": c.text,
                "erased_at": _when(c.redacted_at),
                "permalink": c.permalink,
                "created_at": _when(c.created_at),
                "received_at": _when(c.received_at),
                "status": c.status,
                "visibility": c.visibility,
                "categories": c.categories,
                "flags": flags.get(c.pk, []),
                "actions": actions.get(c.pk, []),
                "notes": notes.get(c.pk, []),
                "escalations": escalations.get(c.pk, []),
            }
            for c in comments
        ],
    }


CSV_COLUMNS = ("record", "comment_id", "when", "channel", "kind", "state", "by", "text")


def _safe_cell(value: Any) -> str:
    """Spreadsheets run cells that start like a formula; prefix those so they stay text."""
    text = str(value if value is not None else "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def subject_access_rows(data: Mapping[str, Any]) -> Iterable[tuple[str, ...]]:
    """The same export as flat rows: one per comment, flag, action, note and escalation."""
    author = data["author"]
    yield (
        "author",
        "",
        author["first_seen"],
        author["platform"],
        author["platform_id"],
        "blocked" if author["blocked"] else "",
        author["handle"],
        author["display_name"],
    )
    for note in data["notes_about_author"]:
        yield ("note on author", "", note["created_at"], "", "", "", note["by"], note["text"])
    for action in data["actions_on_author"]:
        yield (
            "action on author",
            "",
            action["requested_at"],
            "",
            action["kind"],
            action["state"],
            action["by"],
            "",
        )
    for c in data["comments"]:
        cid = str(c["id"])
        yield (
            "comment",
            cid,
            c["created_at"],
            c["channel"],
            ",".join(c["categories"]),
            c["status"],
            "",
            c["text"],
        )
        for f in c["flags"]:
            yield (
                "flag",
                cid,
                f["created_at"],
                c["channel"],
                f["category"],
                f["outcome"],
                f["rule"],
                f["explanation"],
            )
        for a in c["actions"]:
            yield (
                "action",
                cid,
                a["requested_at"],
                c["channel"],
                a["kind"],
                a["state"],
                a["by"],
                a["text"],
            )
        for n in c["notes"]:
            yield ("note", cid, n["created_at"], c["channel"], "", "", n["by"], n["text"])
        for e in c["escalations"]:
            yield (
                "escalation",
                cid,
                e["created_at"],
                c["channel"],
                e["route"],
                e["state"],
                "",
                e["note"],
            )


def subject_access_csv(data: Mapping[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in subject_access_rows(data):
        writer.writerow([_safe_cell(v) for v in row])
    return buffer.getvalue()


@transaction.atomic
def do_export_author_data(
    author: Author, *, actor: Actor, export_format: str, reference: str = ""
) -> dict[str, Any]:
    """Everything held about an author, for a subject access request; the export is audited
    (who took a copy of whose data, when, in which format), though nothing changes."""
    data = subject_access_data(author)
    record(
        "moderation.author.data_exported",
        actor=actor,
        target=author,
        target_repr=f"author {author.pk} on {author.platform}",
        data={
            "format": export_format,
            "reference": reference.strip()[:MAX_REQUEST_FIELD],
            "comments": len(data["comments"]),
        },
    )
    return data
