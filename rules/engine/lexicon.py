"""Word lists compiled into one RE2 alternation, matched on the words views.

An entry is a word or phrase; ``*`` inside it is a wildcard for the rest of a word ("scum*"
matches "scumbag", "*hole" matches "arsehole"). Entries are folded exactly as comment text is
(see ``normalise``), so "sh1t" in a list and "SH!T" in a comment meet as "shit". Each letter
then accepts the look-alikes better-profanity accepts ("f*ck", "fvck"), phrases accept any
short run of spacing or punctuation between words, and hyphens may be left out ("ass-fucker",
"assfucker").

A whole list becomes one pattern, so matching costs one automaton pass whatever its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rules.engine.normalise import View, fold_words
from rules.engine.scan import Pattern

MAX_ENTRIES = 20_000
MAX_ENTRY_CHARS = 200

# Characters each folded letter may appear as in the words views, after leetspeak folding
# ("1", "!" and "|" are already "i"). They follow better-profanity's CHARS_MAPPING ("*" masks
# a vowel, "u" and "v" swap) but not its "l" for "i", which turns "fold" into "foid".
_LETTER_VARIANTS: dict[str, str] = {
    "a": "[a*]",
    "e": "[e*]",
    "i": "[i*]",
    "o": "[o*]",
    "u": "[uv*]",
    "v": "[vu*]",
}
_WORD_CHAR = re.compile(r"[a-z0-9]")
_LEADING_NON_WORD = re.compile(r"^[^a-z0-9]+")
_TRAILING_NON_WORD = re.compile(r"[^a-z0-9]+$")
_WILDCARD = "[a-z0-9*]*"
_BETWEEN_WORDS = "[^a-z0-9*]{1,3}"
_OPTIONAL_PUNCTUATION = "[^a-z0-9*]{0,3}"


class LexiconError(ValueError):
    """A word-list entry that cannot be used; the message says which and why."""


def _escape(char: str) -> str:
    if char.isascii() and (char.isalnum() or char == " "):
        return char
    return re.escape(char)


def _fragment(folded: str) -> str:
    """RE2 syntax for one folded piece of an entry (no wildcards)."""
    parts = []
    for char in folded:
        if char in _LETTER_VARIANTS:
            parts.append(_LETTER_VARIANTS[char])
        elif char == " ":
            parts.append(_BETWEEN_WORDS)
        elif _WORD_CHAR.match(char):
            parts.append(char)
        elif char.isascii():
            # Hyphens, apostrophes, dots inside an entry: optional, any spacing will do.
            parts.append(_OPTIONAL_PUNCTUATION)
        else:
            parts.append(_escape(char))
    # Collapse runs of the spacing fragments that folding can leave side by side.
    joined = "".join(parts)
    while _OPTIONAL_PUNCTUATION + _OPTIONAL_PUNCTUATION in joined:
        joined = joined.replace(
            _OPTIONAL_PUNCTUATION + _OPTIONAL_PUNCTUATION, _OPTIONAL_PUNCTUATION
        )
    return joined


def entry_problem(entry: object) -> str | None:
    """Why a word-list entry cannot be used, or None if it can."""
    if not isinstance(entry, str):
        return f"{entry!r} is not text"
    stripped = entry.strip()
    if not stripped:
        return "an entry is empty"
    if len(stripped) > MAX_ENTRY_CHARS:
        return f"{stripped[:30]!r}… is longer than {MAX_ENTRY_CHARS} characters"
    literal = stripped.replace("*", "")
    if not any(fold.strip() for fold in fold_words(literal)):
        return f"{stripped!r} has no letters or digits to match"
    if not any(_WORD_CHAR.search(fold) for fold in fold_words(literal)):
        return f"{stripped!r} has no letters or digits to match"
    return None


def entry_patterns(entry: str, *, whole_word: bool = True) -> list[str]:
    """RE2 alternatives matching one entry in the words views (one per folded form)."""
    stripped = " ".join(entry.strip().split())
    segments = stripped.split("*")
    last_segment = len(segments) - 1
    # Each alternative: (pattern so far, starts inside a word, ends inside a word).
    alternatives: list[tuple[str, bool | None, bool]] = [("", None, False)]
    for position, segment in enumerate(segments):
        if position:
            alternatives = [
                (pattern + _WILDCARD, True if starts is None else starts, True)
                for pattern, starts, _ends in alternatives
            ]
        if not segment:
            continue
        forms = [form for form in fold_words(segment) if form] or [segment.lower()]
        # Punctuation at either end of an entry means nothing ("p.u.s.s.y." is "pussy").
        if position == 0:
            forms = [_LEADING_NON_WORD.sub("", form) for form in forms]
        if position == last_segment:
            forms = [_TRAILING_NON_WORD.sub("", form) for form in forms]
        forms = [form for form in forms if form]
        if not forms:
            continue
        extended: list[tuple[str, bool | None, bool]] = [
            (
                pattern + _fragment(form),
                bool(_WORD_CHAR.match(form[0])) if starts is None else starts,
                bool(_WORD_CHAR.match(form[-1])),
            )
            for pattern, starts, _ends in alternatives
            for form in forms
        ]
        alternatives = extended[:8]
    patterns: dict[str, None] = {}
    for pattern, starts, ends in alternatives:
        if not pattern:
            continue
        if whole_word:
            pattern = (r"\b" if starts else "") + pattern + (r"\b" if ends else "")
        patterns[pattern] = None
    return list(patterns)


def plural_suffix(word: str) -> str:
    """The RE2 suffix for a word's plural: "es" after s, x, z, ch and sh, otherwise "s" (so
    "spac" does not find "spaces")."""
    return "(?:es)?" if word.lower().endswith(("s", "x", "z", "ch", "sh")) else "s?"


def lexicon_source(
    entries: Iterable[str], *, whole_word: bool = True, plurals: bool = False
) -> str:
    """One RE2 alternation for a whole word list; with ``plurals``, words also match with
    "s" or "es" added ("bastard" finds "bastards")."""
    alternatives: dict[str, None] = {}
    for entry in entries:
        for alternative in entry_patterns(entry, whole_word=whole_word):
            if plurals and alternative.endswith(r"\b") and entry[-1:].isalpha():
                alternative = alternative[:-2] + plural_suffix(entry) + r"\b"
            alternatives[alternative] = None
    if not alternatives:
        raise LexiconError("the word list is empty")
    # Longer alternatives first: with leftmost-first semantics the longest phrase wins.
    ordered = sorted(alternatives, key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A compiled word list: one pattern run over each words view of a text."""

    pattern: Pattern
    source: str

    @classmethod
    def build(
        cls, entries: Sequence[str], *, whole_word: bool = True, plurals: bool = False
    ) -> Lexicon:
        """Compile entries (already validated) into one pattern."""
        source = lexicon_source(entries, whole_word=whole_word, plurals=plurals)
        return cls(Pattern(source, longest=True), source)

    def spans(self, views: Sequence[View]) -> list[tuple[int, int]]:
        """Original-text spans of every match in any of the views."""
        spans: list[tuple[int, int]] = []
        for view in views:
            for start, end in self.pattern.spans(view.target):
                spans.append(view.to_original(start, end))
        return spans


def read_list(text: str) -> list[str]:
    """Entries from a data file: one per line, ``#`` starts a comment."""
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries
