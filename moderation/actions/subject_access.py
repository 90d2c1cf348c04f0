"""Subject access: exporting everything held about a person, as JSON or CSV, on the record."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import Actor, record
from moderation.actions.erasure import MAX_REQUEST_FIELD, identity_of, strip_identity
from moderation.models import (
    Appeal,
    Author,
    Comment,
    Escalation,
    Flag,
    ModerationAction,
    Note,
    Strike,
)
from moderation.spreadsheet import safe_cell

# Actions on the person rather than on one comment: listed once, as actions on the author, with
# the comment they were taken from.
ON_THE_PERSON = frozenset(
    {ModerationAction.Kind.BLOCK, ModerationAction.Kind.UNBLOCK, ModerationAction.Kind.MUTE}
)


def _when(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def subject_access_data(author: Author) -> dict[str, Any]:
    """Everything held about one author (UK GDPR Art. 15: their personal data and what was done
    with it): the person and their strikes; every action on them (blocks, unblocks, mutes,
    whichever comment they were taken from); their comments with flags, actions (hides,
    removals, replies, rejections, automatic or by an officer), appeals, notes and escalations,
    each with its dates; and notes about them. A fixed number of queries, whatever the volume.

    Officers' notes are included. What an officer writes about a person is that person's
    personal data (an opinion about them), and UK GDPR has no exemption for a body's internal
    deliberations; the exemptions that may apply to one note (crime and taxation, another
    person's data: DPA 2018 Schedule 2) are judged by the data protection officer on the copy
    before it is sent, not by leaving every note out. Each strike is listed with when it was
    given, by which action on which comment, and when and why it was taken back.
    """
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
    actions: dict[int, list[dict[str, Any]]] = {}
    on_author: list[dict[str, Any]] = []
    for a in ModerationAction.objects.filter(Q(comment_id__in=ids) | Q(author=author)).order_by(
        "requested_at", "id"
    ):
        row = {
            "kind": a.kind,
            "state": a.state,
            "text": a.text,
            "by": a.actor_label,
            "requested_at": _when(a.requested_at),
            "completed_at": _when(a.completed_at),
        }
        if a.kind in ON_THE_PERSON and a.author_id == author.pk:
            on_author.append({**row, "comment_id": a.comment_id})
        elif a.comment_id in id_set:
            actions.setdefault(a.comment_id, []).append(row)
    appeals: dict[int, list[dict[str, Any]]] = {}
    for ap in Appeal.objects.filter(comment_id__in=ids).order_by("recorded_at", "id"):
        appeals.setdefault(ap.comment_id, []).append(
            {
                "received_via": ap.received_via,
                "summary": ap.summary,
                "state": ap.state,
                "recorded_at": _when(ap.recorded_at),
                "decided_by": ap.decided_by_label,
                "decided_at": _when(ap.decided_at),
                "decision_note": ap.decision_note,
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
        "strikes": [
            {
                "given_at": _when(s.given_at),
                "how": s.get_verb_display(),
                "by": s.given_by_label,
                "comment_id": s.comment_id,
                "action_id": s.action_id,
                "taken_back_at": _when(s.taken_back_at),
                "taken_back_because": s.taken_back_because,
            }
            for s in Strike.objects.filter(author=author).order_by("given_at", "id")
        ],
        "notes_about_author": notes.get(None, []),
        "actions_on_author": on_author,
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
                "appeals": appeals.get(c.pk, []),
                "notes": notes.get(c.pk, []),
                "escalations": escalations.get(c.pk, []),
            }
            for c in comments
        ],
    }


CSV_COLUMNS = ("record", "comment_id", "when", "channel", "kind", "state", "by", "text")


def subject_access_rows(data: Mapping[str, Any]) -> Iterable[tuple[str, ...]]:
    """The same export as flat rows: one per strike, comment, flag, action, appeal, note and
    escalation."""
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
    for strike in data["strikes"]:
        yield (
            "strike",
            str(strike["comment_id"] or ""),
            strike["given_at"],
            "",
            strike["how"],
            f"taken back {strike['taken_back_at']}" if strike["taken_back_at"] else "",
            strike["by"],
            strike["taken_back_because"],
        )
    for note in data["notes_about_author"]:
        yield ("note on author", "", note["created_at"], "", "", "", note["by"], note["text"])
    for action in data["actions_on_author"]:
        yield (
            "action on author",
            str(action["comment_id"] or ""),
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
        for ap in c["appeals"]:
            yield (
                "appeal",
                cid,
                ap["recorded_at"],
                c["channel"],
                ap["received_via"],
                ap["state"],
                "",
                ap["summary"],
            )
            if ap["decided_at"]:
                yield (
                    "appeal decision",
                    cid,
                    ap["decided_at"],
                    c["channel"],
                    "",
                    ap["state"],
                    ap["decided_by"],
                    ap["decision_note"],
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
