"""Linear-time pattern matching with RE2, and a one-pass gate over many patterns.

Every pattern the engine runs, including patterns that admins type, goes through RE2
(``google-re2``): its matching time is linear in the text, so no pattern can hang a worker on a
1 MB comment, and it compiles large alternations (thousands of words) into one automaton.

The ``re2`` package's public wrapper costs several microseconds of Python per call; at tens of
thousands of comments a second that matters, so this module calls the ``_re2`` binding directly
on UTF-8 bytes, encoding each text once and converting byte offsets back to character offsets
only for the matches found. It is the only module that touches ``_re2``.

``PatternSet`` answers "which of these patterns occur anywhere?" in one pass (RE2::Set); the
compiler uses it as a gate so a rule's own matching runs only on texts that can match it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import re2
from re2 import _re2

_UNANCHORED = re2._Anchor.UNANCHORED
_NULL_SPAN = (-1, -1)

# Bound the work on adversarial input: more spans than this for one pattern add nothing an
# officer could use.
MAX_SPANS_PER_PATTERN = 2_000
# RE2::Set has no slower fallback when its automaton runs out of memory, so very long texts
# skip the gate and run every pattern directly (RE2's own matcher does fall back).
MAX_GATED_CHARS = 20_000
PATTERN_MAX_MEM = 32 << 20
SET_MAX_MEM = 64 << 20


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message is RE2's."""


def _options(*, case_insensitive: bool, longest: bool, max_mem: int) -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not case_insensitive
    options.longest_match = longest
    options.max_mem = max_mem
    return options


class Target:
    """A text prepared for matching: its UTF-8 bytes and a byte-to-character converter."""

    __slots__ = ("_data", "ascii", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self._data: bytes | None = None

    @property
    def data(self) -> bytes:
        """The text as UTF-8 (lone surrogates, which cannot be encoded, become one "?" each)."""
        if self._data is None:
            self._data = self.text.encode("utf-8", "replace")
        return self._data

    def char_spans(self, byte_spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """Convert byte spans to character spans (one linear pass over the sorted offsets)."""
        if self.ascii:
            return list(byte_spans)
        data = self.data
        converted: dict[int, int] = {0: 0}
        last = 0
        spans = []
        for offset in sorted({offset for span in byte_spans for offset in span}):
            converted[offset] = converted[last] + _re2.BytesToCharLen(data, last, offset)
            last = offset
        for start, end in byte_spans:
            spans.append((converted[start], converted[end]))
        return spans


class Pattern:
    """One compiled RE2 pattern. ``group`` chooses which group's span is reported."""

    __slots__ = ("_regexp", "group", "source")

    def __init__(
        self,
        source: str,
        *,
        case_insensitive: bool = False,
        longest: bool = False,
        group: int = 0,
    ) -> None:
        options = _options(
            case_insensitive=case_insensitive, longest=longest, max_mem=PATTERN_MAX_MEM
        )
        regexp = _re2.RE2(source.encode("utf-8", "surrogatepass"), options)
        if not regexp.ok():
            raise PatternError(regexp.error())
        if group > regexp.NumberOfCapturingGroups():
            raise PatternError(f"the pattern has no group {group}")
        self._regexp = regexp
        self.source = source
        self.group = group

    def search(self, target: Target) -> bool:
        """Whether the pattern occurs anywhere in the target."""
        data = target.data
        spans = self._regexp.Match(_UNANCHORED, data, 0, len(data))
        return bool(spans[0] != _NULL_SPAN)

    def search_in(self, target: Target, start: int, end: int) -> bool:
        """Whether the pattern occurs within ``target.text[start:end]`` (character offsets)."""
        data = target.data
        if target.ascii:
            byte_start, byte_end = start, end
        else:
            byte_start = _re2.CharLenToBytes(data, 0, start)
            byte_end = byte_start + _re2.CharLenToBytes(data, byte_start, end - start)
        spans = self._regexp.Match(_UNANCHORED, data, byte_start, byte_end)
        return bool(spans[0] != _NULL_SPAN)

    def _scan(self, target: Target, limit: int) -> list[list[tuple[int, int]]]:
        """Every group's byte span for each non-empty match, leftmost first."""
        data = target.data
        size = len(data)
        position = 0
        found: list[list[tuple[int, int]]] = []
        regexp = self._regexp
        while position <= size and len(found) < limit:
            spans = regexp.Match(_UNANCHORED, data, position, size)
            whole = spans[0]
            if whole == _NULL_SPAN:
                break
            if whole[1] > whole[0]:
                found.append(spans)
                position = whole[1]
            elif target.ascii:
                position = whole[1] + 1
            else:
                # Step over one whole character so an empty match cannot stall the loop.
                position = whole[1] + max(1, _re2.CharLenToBytes(data, whole[1], 1))
        return found

    def _converted(self, target: Target, limit: int) -> list[list[tuple[int, int]]]:
        found = self._scan(target, limit)
        if target.ascii or not found:
            return found
        flat = [span for spans in found for span in spans if span != _NULL_SPAN]
        converted = dict(zip(flat, target.char_spans(flat), strict=True))
        return [[converted.get(span, _NULL_SPAN) for span in spans] for spans in found]

    def spans(self, target: Target, limit: int = MAX_SPANS_PER_PATTERN) -> list[tuple[int, int]]:
        """Character spans (of ``group``) of the non-overlapping matches, leftmost first."""
        group = self.group
        return [
            spans[group]
            for spans in self._converted(target, limit)
            if spans[group] != _NULL_SPAN and spans[group][1] > spans[group][0]
        ]

    def labelled_spans(
        self, target: Target, limit: int = MAX_SPANS_PER_PATTERN
    ) -> list[tuple[int, int, int]]:
        """(start, end, group) of each match: the span of the whole match and the number of
        the first capturing group that took part, for patterns built as ``(a)|(b)|(c)``."""
        labelled = []
        for spans in self._converted(target, limit):
            group = next((i for i in range(1, len(spans)) if spans[i] != _NULL_SPAN), 0)
            labelled.append((spans[0][0], spans[0][1], group))
        return labelled

    def group_spans(
        self, target: Target, group: int, limit: int = MAX_SPANS_PER_PATTERN
    ) -> list[tuple[int, int, int, int]]:
        """(start, end, group start, group end) of each match in which ``group`` took part."""
        return [
            (spans[0][0], spans[0][1], spans[group][0], spans[group][1])
            for spans in self._converted(target, limit)
            if len(spans) > group and spans[group] != _NULL_SPAN
        ]


class PatternSet:
    """Many patterns matched in one pass; ``matching`` says which occur in a text."""

    __slots__ = ("_patterns", "_set", "size", "sources")

    def __init__(self, sources: Iterable[str]) -> None:
        options = _options(case_insensitive=False, longest=False, max_mem=SET_MAX_MEM)
        self._set = _re2.Set(_UNANCHORED, options)
        self._patterns: list[Pattern] = []
        self.sources: list[str] = []
        for source in sources:
            self.sources.append(source)
            index = self._set.Add(source.encode("utf-8", "surrogatepass"))
            if index < 0:
                raise PatternError(f"cannot add pattern to set: {source[:80]!r}")
            self._patterns.append(Pattern(source))
        self.size = len(self._patterns)
        if self.size and not self._set.Compile():
            raise PatternError("cannot compile the pattern set")

    def matching(self, target: Target) -> set[int]:
        """Indexes of the patterns that occur in the target."""
        if not self.size:
            return set()
        if len(target.text) > MAX_GATED_CHARS:
            return {i for i, pattern in enumerate(self._patterns) if pattern.search(target)}
        return set(self._set.Match(target.data))


def compile_check(source: str, *, case_insensitive: bool = False) -> str | None:
    """RE2's error message for a pattern, or None if it compiles."""
    try:
        Pattern(source, case_insensitive=case_insensitive)
    except PatternError as error:
        message = str(error)
        return message or "invalid pattern"
    return None
