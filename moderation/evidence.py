"""The evidence pack of one comment, for the police, a complaint or a legal claim.

What it holds: the text exactly as received (and the platform's raw item), its permalink, the
author's platform id and handle, the times (posted on the platform, fetched, every action asked
and done), each flag with its rule, version, the words it matched and its explanation, and the
item's audit trail. As a PDF to read (fpdf2, pure Python, with the DejaVu Sans font shipped in
``moderation/fonts`` so any script prints), and as a ZIP of that PDF, the same facts as JSON and
the raw item, with SHA-256 digests of each file.

Building a pack changes nothing; taking one is audited (``do_record_evidence_export``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from accounts.models import AuditEvent
from moderation.models import Comment, ModerationAction

FONTS = Path(__file__).parent / "fonts"
# Bidirectional controls would reorder the printed text; they are shown as their code points
# (the JSON keeps the text exactly as received).
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def _when(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def evidence_data(comment: Comment) -> dict[str, Any]:
    """Every fact of the pack, in the order the PDF prints them."""
    comment = Comment.objects.select_related("channel", "author", "post").get(pk=comment.pk)
    actions = list(ModerationAction.objects.filter(comment=comment).order_by("requested_at", "id"))
    flags = list(comment.flags.filter(shadow=False).order_by("-severity", "id"))
    holds = list(comment.legal_holds.all().order_by("placed_at"))
    appeals = list(comment.appeals.all().order_by("recorded_at"))
    notes = list(comment.notes.all().order_by("created_at"))
    escalations = list(comment.escalations.select_related("route").order_by("created_at"))
    targets = Q(target_type="moderation.comment", target_id=str(comment.pk))
    for label, rows in (
        ("moderation.moderationaction", actions),
        ("moderation.legalhold", holds),
        ("moderation.appeal", appeals),
        ("moderation.note", notes),
        ("moderation.escalation", escalations),
    ):
        if rows:
            targets |= Q(target_type=label, target_id__in=[str(r.pk) for r in rows])
    trail = AuditEvent.objects.filter(targets).order_by("id")
    text = comment.text
    return {
        "generated_at": timezone.now().isoformat(),
        "comment": {
            "id": comment.pk,
            "platform": comment.channel.platform,
            "channel": comment.channel.name,
            "channel_account_id": comment.channel.account_id,
            "platform_id": comment.platform_id,
            "permalink": comment.permalink,
            "text_as_received": text,
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "erased_at": _when(comment.redacted_at),
            "posted_at": _when(comment.created_at),
            "fetched_at": _when(comment.received_at),
            "status": comment.status,
            "visibility": comment.visibility,
            "private_message": comment.private,
            "in_reply_to": comment.parent_platform_id,
            "on_post": {
                "platform_id": comment.post.platform_id if comment.post else "",
                "permalink": comment.post.permalink if comment.post else "",
                "text": comment.post.text if comment.post else "",
            },
        },
        "author": {
            "platform": comment.author.platform,
            "platform_id": comment.author.platform_id,
            "handle": comment.author.handle,
            "display_name": comment.author.display_name,
            "strikes": comment.author.strikes,
            "blocked": comment.author.blocked,
        },
        "flags": [
            {
                "category": f.category,
                "rule": f.rule_key,
                "rule_name": f.rule_name,
                "ruleset_version": f.ruleset_version,
                "detector": f.detector,
                "severity": f.severity,
                "outcome": f.outcome,
                "route": f.route,
                "matched": [_span(text, s) for s in f.spans or []],
                "explanation": f.explanation,
                "reversed": f.reversed,
                "flagged_at": _when(f.created_at),
            }
            for f in flags
        ],
        "actions": [
            {
                "kind": a.kind,
                "state": a.state,
                "by": a.actor_label,
                "text": a.text,
                "requested_at": _when(a.requested_at),
                "completed_at": _when(a.completed_at),
                "platform_id": a.platform_id,
                "error": a.last_error,
                "by_hand": bool(a.platform_response.get("reported_by_hand"))
                if isinstance(a.platform_response, dict)
                else False,
            }
            for a in actions
        ],
        "legal_holds": [
            {
                "reason": h.reason,
                "placed_by": h.placed_by_label,
                "placed_at": _when(h.placed_at),
                "lifted_by": h.lifted_by_label,
                "lifted_at": _when(h.lifted_at),
            }
            for h in holds
        ],
        "appeals": [
            {
                "state": a.state,
                "received_via": a.received_via,
                "summary": a.summary,
                "recorded_by": a.recorded_by_label,
                "recorded_at": _when(a.recorded_at),
                "decided_by": a.decided_by_label,
                "decided_at": _when(a.decided_at),
            }
            for a in appeals
        ],
        "notes": [
            {"by": n.written_by_label, "at": _when(n.created_at), "text": n.text} for n in notes
        ],
        "escalations": [
            {
                "route": e.route.name,
                "state": e.state,
                "created_at": _when(e.created_at),
                "deadline_at": _when(e.deadline_at),
                "closed_at": _when(e.closed_at),
            }
            for e in escalations
        ],
        "audit_trail": [
            {
                "id": e.pk,
                "at": _when(e.occurred_at),
                "actor": e.actor_label,
                "event": e.event_type,
                "target": e.target_repr,
                "hash": e.hash,
            }
            for e in trail
        ],
    }


def _span(text: str, span: Any) -> dict[str, Any]:
    try:
        start, end = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return {"start": None, "end": None, "text": ""}
    return {"start": start, "end": end, "text": text[start:end] if 0 <= start < end else ""}


def printable(value: object) -> str:
    """Text for the PDF: bidi and other control characters shown as code points."""
    out = []
    for ch in str(value):
        if ch in _BIDI or (unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t"):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out)


class _Pack(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 8, f"Evidence pack · page {self.page_no()}/{{nb}}", align="C")


def evidence_pdf(data: dict[str, Any], organisation: str) -> bytes:
    pdf = _Pack(format="A4")
    pdf.add_font("DejaVu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Evidence pack: comment {data['comment']['id']}")
    pdf.set_author(organisation)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    width = pdf.epw

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("DejaVu", style="B", size=12)
        pdf.multi_cell(width, 7, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", size=9)

    def line(label: str, value: object) -> None:
        pdf.set_font("DejaVu", style="B", size=9)
        pdf.multi_cell(width, 5, printable(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", size=9)
        pdf.multi_cell(width, 5, printable(value) or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    comment, author = data["comment"], data["author"]
    pdf.set_font("DejaVu", style="B", size=15)
    pdf.multi_cell(
        width,
        8,
        printable(f"{organisation}: evidence pack for comment {comment['id']}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("DejaVu", size=9)
    pdf.multi_cell(
        width,
        5,
        f"Generated {data['generated_at']}. Contains personal data: handle under the "
        "organisation's data protection policy.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    heading("The comment, exactly as received")
    line("Text", comment["text_as_received"] or "(erased under the retention policy)")
    line("SHA-256 of the text (UTF-8)", comment["text_sha256"])
    line("Permalink", comment["permalink"])
    line(
        "Where",
        f"{comment['channel']} ({comment['platform']}, account {comment['channel_account_id']}),"
        f" platform id {comment['platform_id']}",
    )
    line("Posted on the platform", comment["posted_at"])
    line("Fetched by the console", comment["fetched_at"])
    line("Status now", f"{comment['status']}, {comment['visibility']} on the platform")
    if comment["on_post"]["platform_id"]:
        line(
            "Under the post",
            f"{comment['on_post']['platform_id']} {comment['on_post']['permalink']}",
        )
    heading("The author")
    line("Platform id", author["platform_id"])
    line("Handle", author["handle"])
    line("Display name", author["display_name"])
    line("Strikes / blocked", f"{author['strikes']} / {'yes' if author['blocked'] else 'no'}")
    heading("Why it was flagged")
    if not data["flags"]:
        line("Flags", "No rule matched.")
    for flag in data["flags"]:
        matched = "; ".join(m["text"] for m in flag["matched"] if m["text"])
        line(
            f"{flag['category']}: {flag['rule_name']} ({flag['rule']} v{flag['ruleset_version']})",
            f"Severity {flag['severity']}, outcome {flag['outcome']}"
            + (f" → {flag['route']}" if flag["route"] else "")
            + (f". Matched: {matched}" if matched else "")
            + (f". {flag['explanation']}" if flag["explanation"] else "")
            + (". Undone by an officer." if flag["reversed"] else ""),
        )
    heading("Actions")
    if not data["actions"]:
        line("Actions", "None.")
    for action in data["actions"]:
        line(
            f"{action['kind']} ({action['state']}) by {action['by']}",
            f"asked {action['requested_at']}, finished {action['completed_at'] or '—'}"
            + (" (done by hand on the platform)" if action["by_hand"] else "")
            + (f". Text: {action['text']}" if action["text"] else "")
            + (f". Error: {action['error']}" if action["error"] else ""),
        )
    for title, key in (("Legal holds", "legal_holds"), ("Appeals", "appeals")):
        if data[key]:
            heading(title)
            for row in data[key]:
                line(", ".join(f"{k}: {v}" for k, v in row.items() if v), "")
    heading("Audit trail")
    for event in data["audit_trail"]:
        line(
            f"{event['at']} · {event['event']} · {event['actor']}",
            f"{event['target']} (event {event['id']}, hash {event['hash'][:16]}…)",
        )
    return bytes(pdf.output())


def evidence_zip(data: dict[str, Any], pdf: bytes, raw: object) -> bytes:
    files = {
        "evidence.pdf": pdf,
        "evidence.json": json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"),
        "raw-item.json": json.dumps(raw, indent=2, ensure_ascii=False).encode("utf-8"),
    }
    digests = "".join(f"{hashlib.sha256(b).hexdigest()}  {name}\n" for name, b in files.items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr("SHA256SUMS", digests)
    return buffer.getvalue()
