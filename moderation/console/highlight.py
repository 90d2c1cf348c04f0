"""Comment text as safe HTML: every matched span marked, personal data masked, all else escaped.

Flags carry character offsets into the comment's original text (``Flag.spans``). Spans come from
stored JSON, so they are treated as untrusted too: anything that is not a pair of integers inside
the text is ignored, overlapping spans are merged into one mark, and the text between marks is
escaped. Bidirectional control characters are shown as visible tokens, so a right-to-left
override cannot make a comment read differently from what it says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.names import BIDI_CONTROLS, bidi_token, neutralise_bidi
from rules.engine.types import CAMPAIGN

PERSONAL_DATA = "personal_data"
MASK_LABEL = "[personal data hidden]"
MAX_SPANS = 500


@dataclass(frozen=True)
class Span:
    """One matched range, with what matched it (for the mark's class and its tooltip)."""

    start: int
    end: int
    category: str
    label: str
    severity: int = 0


def spans_from_flags(flags: Iterable[object], text_length: int) -> list[Span]:
    """Valid spans from flags (anything with ``spans``, ``category``, ``rule_name``, ``severity``).

    Shadow flags are left out: they record what a rule set being trialled would have done, and
    must not change what an officer sees.
    """
    spans: list[Span] = []
    for flag in flags:
        if getattr(flag, "shadow", False):
            continue
        # A flag with no category is the engine's campaign signal (rules.engine.types).
        category = str(getattr(flag, "category", "") or "") or CAMPAIGN
        label = neutralise_bidi(str(getattr(flag, "rule_name", "") or category))
        severity = getattr(flag, "severity", 0)
        raw = getattr(flag, "spans", None)
        if not isinstance(raw, list | tuple):
            continue
        for pair in raw:
            span = _valid_span(pair, text_length)
            if span is not None:
                spans.append(
                    Span(
                        span[0],
                        span[1],
                        category,
                        label,
                        severity if isinstance(severity, int) else 0,
                    )
                )
            if len(spans) >= MAX_SPANS:
                return spans
    return spans


def _valid_span(pair: object, text_length: int) -> tuple[int, int] | None:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        return None
    start, end = pair
    if isinstance(start, bool) or isinstance(end, bool):
        return None
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    start, end = max(0, start), min(text_length, end)
    return (start, end) if start < end else None


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges become one: [(0, 5), (3, 8), (8, 9)] → [(0, 9)]."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _escape_text(text: str) -> str:
    """Escape; show bidi controls as visible tokens (an override must not reorder the page)."""
    escaped = str(escape(text))
    return BIDI_CONTROLS.sub(
        lambda m: (
            f'<span class="bidi-control" title="Hidden direction character '
            f'U+{ord(m.group()):04X}">{bidi_token(m.group())}</span>'
        ),
        escaped,
    )


def render_comment_html(
    text: str,
    flags: Sequence[object] = (),
    *,
    mask_personal_data: bool = False,
    limit: int | None = None,
) -> SafeString:
    """The comment as HTML: marks on matched spans, masks on personal data, the rest escaped.

    ``limit`` cuts the text (for list rows) after masking has been decided, so personal data
    that straddles the cut is still hidden.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    spans = spans_from_flags(flags, len(text))
    masks = (
        merge_ranges((s.start, s.end) for s in spans if s.category == PERSONAL_DATA)
        if mask_personal_data
        else []
    )
    marks = _merge_marks([piece for s in spans for piece in _outside(s, masks)])
    end_of_text = len(text) if limit is None else min(len(text), max(0, limit))
    pieces: list[str] = []
    position = 0
    for start, end, kind, payload in _regions(masks, marks):
        if position >= end_of_text:
            break
        if start > position:
            pieces.append(_escape_text(text[position : min(start, end_of_text)]))
        if start >= end_of_text:
            position = end_of_text
            break
        if kind == "mask":
            pieces.append(format_html('<span class="pd-mask">{}</span>', MASK_LABEL))
        else:
            categories, labels = payload
            pieces.append(
                format_html(
                    '<mark class="{}" title="{}">{}</mark>'
                    '<span class="visually-hidden"> (flagged: {})</span>',
                    " ".join(f"cat-{c}" for c in categories),
                    "; ".join(labels),
                    mark_safe(_escape_text(text[start : min(end, end_of_text)])),
                    ", ".join(c.replace("_", " ") for c in categories),
                )
            )
        position = end
    if position < end_of_text:
        pieces.append(_escape_text(text[position:end_of_text]))
    if end_of_text < len(text):
        pieces.append('<span class="truncated">…</span>')
    # Every piece above was escaped by _escape_text or built by format_html.
    return mark_safe("".join(pieces))


def _outside(span: Span, masks: Sequence[tuple[int, int]]) -> list[Span]:
    """The parts of a span that no mask covers (masked text is never shown, even marked)."""
    pieces = [span]
    for mask_start, mask_end in masks:
        next_pieces = []
        for piece in pieces:
            if piece.end <= mask_start or mask_end <= piece.start:
                next_pieces.append(piece)
                continue
            if piece.start < mask_start:
                next_pieces.append(replace(piece, end=mask_start))
            if mask_end < piece.end:
                next_pieces.append(replace(piece, start=mask_end))
        pieces = next_pieces
    return pieces


def _merge_marks(spans: Sequence[Span]) -> list[tuple[int, int, list[str], list[str]]]:
    """Overlapping spans become one mark that names every category and rule that matched."""
    marks: list[tuple[int, int, list[str], list[str]]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.severity)):
        if marks and span.start < marks[-1][1]:
            start, end, categories, labels = marks[-1]
            if span.category not in categories:
                categories.append(span.category)
            if span.label not in labels:
                labels.append(span.label)
            marks[-1] = (start, max(end, span.end), categories, labels)
        else:
            marks.append((span.start, span.end, [span.category], [span.label]))
    return marks


def _regions(
    masks: Sequence[tuple[int, int]], marks: Sequence[tuple[int, int, list[str], list[str]]]
) -> list[tuple[int, int, str, tuple[list[str], list[str]]]]:
    regions: list[tuple[int, int, str, tuple[list[str], list[str]]]] = [
        (start, end, "mask", ([], [])) for start, end in masks
    ]
    regions += [(start, end, "mark", (cats, labels)) for start, end, cats, labels in marks]
    return sorted(regions, key=lambda r: r[0])


def masked_plain_text(text: str, flags: Sequence[object]) -> str:
    """The text with personal data replaced by the mask label (for reply previews, exports)."""
    if not isinstance(text, str):
        return ""
    spans = spans_from_flags(flags, len(text))
    masks = merge_ranges((s.start, s.end) for s in spans if s.category == PERSONAL_DATA)
    out: list[str] = []
    position = 0
    for start, end in masks:
        out.append(text[position:start])
        out.append(MASK_LABEL)
        position = end
    out.append(text[position:])
    return "".join(out)


QUOTED = re.compile(r"\"[^\"]{1,400}\"|“[^”]{1,400}”|'[^']{3,400}'")
MIN_REDACTED_LENGTH = 3


def redact_personal_data(
    note: str, comment_text: str, flags: Sequence[object], *, quoted: bool = False
) -> str:
    """A note or explanation about a comment, with the comment's personal data taken out.

    Explanations and automatic escalation notes quote what matched; when the comment's personal
    data is masked, every occurrence of a masked span's text is masked there too. ``quoted``
    also masks anything in quotation marks (for a personal-data rule's own explanation).
    """
    if not isinstance(note, str) or not note:
        return ""
    if not isinstance(comment_text, str):
        comment_text = ""
    spans = spans_from_flags(flags, len(comment_text))
    secrets = {comment_text[s.start : s.end].strip() for s in spans if s.category == PERSONAL_DATA}
    for secret in sorted(
        (s for s in secrets if len(s) >= MIN_REDACTED_LENGTH), key=len, reverse=True
    ):
        note = re.sub(re.escape(secret), MASK_LABEL, note, flags=re.IGNORECASE)
    if quoted:
        note = QUOTED.sub(MASK_LABEL, note)
    return note
