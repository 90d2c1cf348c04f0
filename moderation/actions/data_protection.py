"""Data protection: erasing comment text and personal data on a schedule (retention) or when a
person asks (erasure on request), and exporting everything held about a person (subject access).

Erasure keeps the facts an audit needs (which rule flagged what, who did what and when) and
removes what a person wrote or is called: comment text, the platform's raw payload, permalinks,
notes, quoted words in flag explanations and escalation notes, reply texts addressed to them, and
the author's handle and display name once none of their comments is kept. Erasure on request
goes further: the person's platform id and their comments' ids become keyed pseudonyms
(``erased_id``), every other place that could name them (escalation notes, quarantined items,
a channel's last error, outbox rows and the platform's answers) is cleaned, and their platform
actions still waiting are cancelled, on the record. Audit events are never touched: they hold
ids, counts and rule keys, never comment text or names (the free text an admin types when
recording an export or an erasure is cleaned of the person's names before it is recorded), so
the hash chain still verifies.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import hmac
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.evidence import held_comment_ids
from moderation.actions.outbox import CANCELLABLE_STATES, cancel_unsent_action
from moderation.models import (
    Author,
    Channel,
    Comment,
    Escalation,
    Flag,
    ModerationAction,
    Note,
    Organisation,
    QuarantinedItem,
)
from moderation.spreadsheet import safe_cell

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


def _erase_comments(
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
    *, actor: Actor, now: dt.datetime | None = None, limit: int = RETENTION_BATCH
) -> ErasureCounts:
    """Erase one batch of comments past the retention period; one audit event with the counts.

    Comments with an open escalation are kept until it closes (a statutory clock is running).
    Run it until it returns zero comments (``do_apply_retention_until_done`` does).
    """
    now = now or timezone.now()
    retention_days = Organisation.current().retention_days
    cutoff = now - dt.timedelta(days=retention_days)
    ids = list(
        Comment.objects.select_for_update(skip_locked=True)
        .filter(pk__in=comments_due_for_retention(now).values("id")[:limit])
        .values_list("id", flat=True)
    )
    counts = _erase_comments(ids, now)
    # Items quarantined as received are kept no longer than the comments they came with.
    counts.quarantined, _ = QuarantinedItem.objects.filter(created_at__lt=cutoff).delete()
    if ids or counts.quarantined:
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
                "first_comment_id": ids[0] if ids else None,
                "last_comment_id": ids[-1] if ids else None,
            },
        )
    return counts


def do_apply_retention_until_done(*, actor: Actor, max_batches: int = 1_000) -> int:
    """Run retention batches until nothing is due; returns the number of comments erased.

    Each batch is its own transaction and audit event, so a long backlog never holds its locks
    for the whole run."""
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
    held = set(
        Comment.objects.filter(author=author, pk__in=held_comment_ids()).values_list(
            "id", flat=True
        )
    )
    kept_on_hold = len(held)
    # Comments under a legal hold keep their text, ids and author (evidence); the rest goes.
    comments = {
        pk: platform_id
        for pk, platform_id in Comment.objects.select_for_update()
        .filter(author=author)
        .order_by("id")
        .values_list("id", "platform_id")
        if pk not in held
    }
    # While a held comment keeps the person, so do the rows about them as a person (a block)
    # and their platform id.
    person = None if held else author
    identity = [*identity_of(author), *comments.values()]
    unerased = list(
        Comment.objects.filter(pk__in=comments, redacted_at__isnull=True).values_list(
            "id", flat=True
        )
    )
    counts = _erase_comments(unerased, timezone.now(), identity)
    # Officers' escalation notes retell what the person wrote in their own words, which no list
    # of words can catch: on request they go whole, as notes do (the escalation itself stays).
    counts.escalation_notes = (
        Escalation.objects.filter(comment_id__in=comments).exclude(note=ERASED).update(note=ERASED)
    )
    counts.cancelled_actions = _cancel_waiting_actions(person, list(comments), actor)
    counts.replies += _erase_actions(person, list(comments), identity)
    counts.quarantined = _erase_quarantined(identity)
    _erase_channel_errors(identity)
    _pseudonymise(person, comments)
    counts.authors = _erase_authors([author.pk])
    record(
        "moderation.author.erased_on_request",
        actor=actor,
        target=author,
        # Never the handle: the audit log outlives the erasure.
        target_repr=f"author {author.pk} on {author.platform}",
        data={
            "requested_by": strip_identity(requested_by, identity),
            "reason": strip_identity(reason, identity),
            **counts.as_dict(),
            "kept_on_legal_hold": kept_on_hold,
        },
    )
    return counts


def _about(person: Author | None, comment_ids: list[int]) -> Q:
    """Outbox rows on these comments, and every row about the person when ``person`` is given."""
    rows = Q(comment_id__in=comment_ids)
    return rows | Q(author=person) if person is not None else rows


def _cancel_waiting_actions(person: Author | None, comment_ids: list[int], actor: Actor) -> int:
    """Cancel, each on the record, what is still waiting to be sent for the person: a reply
    addressed to them must not go out after their erasure."""
    waiting = ModerationAction.objects.filter(
        _about(person, comment_ids), state__in=CANCELLABLE_STATES
    ).order_by("id")
    return sum(
        cancel_unsent_action(action, actor=actor, reason="erasure on request") for action in waiting
    )


def _erase_actions(person: Author | None, comment_ids: list[int], identity: Sequence[str]) -> int:
    """Reply texts, the platforms' answers (which echo names and ids) and errors of every
    outbox row about the person, whatever its state."""
    rows = list(
        ModerationAction.objects.filter(_about(person, comment_ids)).only(
            "id", "text", "platform_response", "last_error"
        )
    )
    for row in rows:
        row.text, row.platform_response = "", {}
        row.last_error = strip_identity(row.last_error, identity)
    ModerationAction.objects.bulk_update(rows, ["text", "platform_response", "last_error"])
    return len(rows)


def _naming(field: str, identity: Sequence[str]) -> Q:
    condition = Q(pk__in=[])
    for value in identity:
        condition |= Q(**{f"{field}__icontains": value})
    return condition


def _erase_quarantined(identity: Sequence[str]) -> int:
    """Items quarantined from the person that are not tied to one of their stored comments (an
    item that could not be read at all names them only in its raw form)."""
    found = list(
        QuarantinedItem.objects.filter(_naming("raw", identity) | _naming("reason", identity))
    )
    for item in found:
        item.raw, item.reason = "", strip_identity(item.reason, identity)
        item.platform_id = erased_id(item.platform_id) if item.platform_id else ""
    QuarantinedItem.objects.bulk_update(found, ["raw", "reason", "platform_id"])
    return len(found)


def _erase_channel_errors(identity: Sequence[str]) -> None:
    """A channel's last error lists the items a poll skipped, by id (a Bluesky post's id holds
    its author's)."""
    for channel in Channel.objects.filter(_naming("last_error", identity)).only("id", "last_error"):
        Channel.objects.filter(pk=channel.pk).update(
            last_error=strip_identity(channel.last_error, identity)
        )


def _pseudonymise(person: Author | None, comments: Mapping[int, str]) -> None:
    """Their comments' ids (which may contain their platform id, as Bluesky's do) and, given
    ``person``, their platform id become keyed pseudonyms, here and where other comments reply
    to theirs."""
    for comment_id, platform_id in comments.items():
        pseudonym = erased_id(platform_id)
        Comment.objects.filter(pk=comment_id).update(platform_id=pseudonym)
        QuarantinedItem.objects.filter(comment_id=comment_id).update(platform_id=pseudonym)
        Comment.objects.filter(parent_platform_id=platform_id).update(parent_platform_id=pseudonym)
    if person is not None:
        Author.objects.filter(pk=person.pk).update(platform_id=erased_id(person.platform_id))
    _pseudonymise_cursors(
        [*([person.platform_id] if person is not None else []), *comments.values()]
    )


def _pseudonymise_cursors(ids: Sequence[str]) -> None:
    """A channel's cursor remembers the last items a poll read, by id (``sweep``'s fence and
    marks): those become the same pseudonyms, so the next poll still knows them (and an erased
    comment met again is recognised by its pseudonym and not stored)."""
    ids = [i for i in ids if i and not i.startswith(ERASED_ID_PREFIX)]
    if not ids:
        return
    for channel in Channel.objects.filter(_naming("cursor", ids)).only("id", "cursor"):
        try:
            state = json.loads(channel.cursor)
        except ValueError:
            state = channel.cursor
        cleaned = _replace_ids(state, ids)
        text = cleaned if isinstance(cleaned, str) else json.dumps(cleaned, separators=(",", ":"))
        Channel.objects.filter(pk=channel.pk).update(cursor=text)


def _replace_ids(value: Any, ids: Sequence[str]) -> Any:
    if isinstance(value, str):
        for platform_id in sorted(ids, key=len, reverse=True):
            if platform_id in value:
                value = value.replace(platform_id, erased_id(platform_id))
        return value
    if isinstance(value, list):
        return [_replace_ids(v, ids) for v in value]
    if isinstance(value, dict):
        return {_replace_ids(k, ids): _replace_ids(v, ids) for k, v in value.items()}
    return value


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
        writer.writerow([safe_cell(v) for v in row])
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
            # The audit log outlives an erasure: what names the person is not kept in it.
            "reference": strip_identity(reference.strip()[:MAX_REQUEST_FIELD], identity_of(author)),
            "comments": len(data["comments"]),
        },
    )
    return data
