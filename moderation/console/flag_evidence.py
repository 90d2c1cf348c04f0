"""What each flag on the item page says about why it fired.

A rule's evidence is the words it matched (also highlighted in the comment); the learned
model's is its calibrated score and the words that drove it (``rules.engine.learned.model``'s
``evidence``). Words are plain text, with direction controls made visible; the template escapes
them. Where the officer may not see personal data, a personal-data flag shows no words at all,
and any other flag's words show the mask where they run over the comment's personal data (a
spam rule's "Ring me on 07700 900123", the model's "900123").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accounts.names import neutralise_bidi
from moderation.console.highlight import (
    MASK_LABEL,
    MIN_REDACTED_LENGTH,
    PERSONAL_DATA,
    spans_from_flags,
)
from moderation.models import Flag

MODEL_DETECTOR = "model"
MAX_WORDS = 6
MAX_WORD_LENGTH = 60


@dataclass(frozen=True)
class FlagEvidence:
    by_model: bool
    score_percent: int | None
    words: list[str]
    hidden: bool  # words withheld: personal data the officer has not revealed


def _shown(word: str) -> str:
    word = " ".join(word.split())
    if len(word) > MAX_WORD_LENGTH:
        word = word[: MAX_WORD_LENGTH - 1] + "\u2026"
    return neutralise_bidi(word)


def _distinct(words: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for word in words:
        if word and word.casefold() not in {w.casefold() for w in seen}:
            seen[word] = None
    return list(seen)[:MAX_WORDS]


def _personal_ranges(flags: Sequence[Flag], text: str) -> list[tuple[int, int]]:
    return [
        (s.start, s.end) for s in spans_from_flags(flags, len(text)) if s.category == PERSONAL_DATA
    ]


def _masked_span(text: str, start: int, end: int, personal: list[tuple[int, int]]) -> str:
    """The matched text with every part that is personal data replaced by the mask."""
    pieces, position = [], start
    for p_start, p_end in sorted(personal):
        if p_end <= position or p_start >= end:
            continue
        pieces.append(text[position:p_start] if p_start > position else "")
        pieces.append(MASK_LABEL)
        position = max(position, p_end)
    pieces.append(text[position:end] if position < end else "")
    return "".join(pieces)


def _masked_term(term: str, text: str, personal: list[tuple[int, int]]) -> str:
    """A model's word, or the mask if it is (part of) the comment's personal data."""
    folded = term.strip().casefold()
    for start, end in personal:
        secret = text[start:end].casefold()
        if len(folded) >= MIN_REDACTED_LENGTH and (folded in secret or secret in folded):
            return MASK_LABEL
    return term


def evidence_for(
    flag: Flag, text: str, *, masked: bool, flags: Sequence[Flag] = ()
) -> FlagEvidence:
    """``flags`` are all the comment's flags: their personal-data spans are masked in the
    words when ``masked``."""
    by_model = flag.detector == MODEL_DETECTOR or flag.rule_key.startswith("model.")
    hidden = masked and flag.category == PERSONAL_DATA
    personal = _personal_ranges(flags, text) if masked else []
    if by_model:
        terms = [str(t) for t in flag.terms] if isinstance(flag.terms, list) else []
        raw = [_masked_term(t, text, personal) for t in terms]
    else:
        raw = [
            _masked_span(text, span[0], span[1], personal)
            for span in (flag.spans if isinstance(flag.spans, list) else [])
            if isinstance(span, list | tuple)
            and len(span) == 2
            and all(isinstance(i, int) for i in span)
        ]
    words = [] if hidden else _distinct([_shown(w) for w in raw])
    score = round(flag.score * 100) if by_model and flag.score is not None else None
    return FlagEvidence(by_model=by_model, score_percent=score, words=words, hidden=hidden)
