"""What each flag on the item page says about why it fired.

A rule's evidence is the words it matched (also highlighted in the comment); the learned
model's is its calibrated score and the words that drove it (``rules.engine.learned.model``'s
``evidence``). Words are plain text, with direction controls made visible; the template escapes
them. Where the officer may not see personal data, a personal-data flag shows no words at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderation.models import Flag
from moderation.names import neutralise_bidi

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


def evidence_for(flag: Flag, text: str, *, masked: bool) -> FlagEvidence:
    by_model = flag.detector == MODEL_DETECTOR or flag.rule_key.startswith("model.")
    hidden = masked and flag.category == "personal_data"
    if by_model:
        raw = [str(t) for t in flag.terms] if isinstance(flag.terms, list) else []
    else:
        raw = [
            text[span[0] : span[1]]
            for span in (flag.spans if isinstance(flag.spans, list) else [])
            if isinstance(span, list | tuple) and len(span) == 2
        ]
    words = [] if hidden else _distinct([_shown(w) for w in raw])
    score = round(flag.score * 100) if by_model and flag.score is not None else None
    return FlagEvidence(by_model=by_model, score_percent=score, words=words, hidden=hidden)
