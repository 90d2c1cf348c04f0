"""Folding for detection: a copy of the text in which personal data is easier to see, each of
whose characters remembers the original character it came from, so that every hit's span is an
offset into the text exactly as received (ready for redaction).

NFKC (fullwidth digits, the fullwidth @), digits of any script to ASCII, dashes to "-", and
zero-width, format and combining characters dropped.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class FoldedText:
    """The text as detection sees it, with each character's source span in the original."""

    text: str
    # None when the folded text is the original (the common case: no copy, no tables).
    starts: array[int] | None = None
    ends: array[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> FoldedText:
    if text.isascii():
        return FoldedText(text)
    pieces: list[str] = []
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    copied_up_to = 0
    for match in _NON_ASCII.finditer(text):
        position = match.start()
        character = text[position]
        replacement = _fold_character(character)
        if replacement == character:
            continue
        pieces.append(text[copied_up_to:position])
        starts.extend(range(copied_up_to, position))
        ends.extend(range(copied_up_to + 1, position + 1))
        pieces.append(replacement)
        starts.extend([position] * len(replacement))
        ends.extend([position + 1] * len(replacement))
        copied_up_to = position + 1
    if not pieces:
        return FoldedText(text)
    pieces.append(text[copied_up_to:])
    starts.extend(range(copied_up_to, len(text)))
    ends.extend(range(copied_up_to + 1, len(text) + 1))
    return FoldedText("".join(pieces), starts, ends)


_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})


@lru_cache(maxsize=4096)
def _fold_character(character: str) -> str:
    """One character as detection sees it (may be empty, or several characters)."""
    category = unicodedata.category(character)
    if category == "Cs":  # a lone surrogate: leave it, it can be part of nothing we look for
        return character
    folded = unicodedata.normalize("NFKC", character)
    return "".join(_fold_normalised(part) for part in folded)


def _fold_normalised(character: str) -> str:
    if character.isascii():
        return character
    category = unicodedata.category(character)
    if category in _INVISIBLE_CATEGORIES:
        # Zero-width spaces and joiners, bidi overrides, soft hyphens, combining marks: all used
        # to split a number or an address so that a pattern no longer sees it.
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(character, 0))
    if category == "Pd" or character == "\u2212":
        return "-"
    if category == "Zs":
        return " "
    return character
