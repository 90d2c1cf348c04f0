"""Linear-time pattern matching with RE2, and a one-pass gate over many patterns.

Every pattern the engine runs, including patterns that admins type, goes through RE2
(``google-re2``): its matching time is linear in the text, so no pattern can hang a worker on a
1 MB comment, and it compiles large alternations (thousands of words) into one automaton.

Patterns match the text's UTF-8 bytes (``re2.compile`` of a bytes pattern), so each text is
encoded once however many patterns run over it, and byte offsets are converted to character
offsets only for the matches found.

``PatternSet`` answers "which of these patterns occur anywhere?" in one pass (RE2::Set); the
compiler uses it as a gate so a rule's own matching runs only on texts that can match it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import re2

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


def _message(error: re2.error) -> str:
    """RE2's own words for why a pattern does not compile (the wrapper gives them as bytes)."""
    detail = error.args[0] if error.args else ""
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "replace"))


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
            # The bytes are valid UTF-8 (encoded with "replace") and RE2 matches whole
            # characters, so each slice decodes to exactly its characters.
            converted[offset] = converted[last] + len(data[last:offset].decode("utf-8"))
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
        try:
            regexp = re2.compile(source.encode("utf-8", "surrogatepass"), options)
        except re2.error as error:
            raise PatternError(_message(error)) from None
        if group > regexp.groups:
            raise PatternError(f"the pattern has no group {group}")
        self._regexp = regexp
        self.source = source
        self.group = group

    def search(self, target: Target) -> bool:
        """Whether the pattern occurs anywhere in the target."""
        return self._regexp.search(target.data) is not None

    def search_in(self, target: Target, start: int, end: int) -> bool:
        """Whether the pattern occurs within ``target.text[start:end]`` (character offsets)."""
        if target.ascii:
            byte_start, byte_end = start, end
        else:
            byte_start = _utf8_length(target.text[:start])
            byte_end = byte_start + _utf8_length(target.text[start:end])
        return self._regexp.search(target.data, byte_start, byte_end) is not None

    def _scan(self, target: Target, limit: int) -> list[list[tuple[int, int]]]:
        """Every group's byte span for each non-empty match, leftmost first."""
        data = target.data
        size = len(data)
        position = 0
        found: list[list[tuple[int, int]]] = []
        regexp = self._regexp
        groups = range(regexp.groups + 1)
        while position <= size and len(found) < limit:
            match = regexp.search(data, position, size)
            if match is None:
                break
            spans = [match.span(group) for group in groups]
            whole = spans[0]
            if whole[1] > whole[0]:
                found.append(spans)
                position = whole[1]
            elif target.ascii:
                position = whole[1] + 1
            else:
                # Step over one whole character (its continuation bytes are 0b10xxxxxx) so an
                # empty match cannot stall the loop.
                position = whole[1] + 1
                while position < size and data[position] & 0xC0 == 0x80:
                    position += 1
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
        self._set = re2.Set.SearchSet(options)
        self._patterns: list[Pattern] = []
        self.sources: list[str] = []
        for source in sources:
            self.sources.append(source)
            try:
                self._set.Add(source.encode("utf-8", "surrogatepass"))
            except re2.error:
                raise PatternError(f"cannot add pattern to set: {source[:80]!r}") from None
            self._patterns.append(Pattern(source))
        self.size = len(self._patterns)
        if self.size:
            try:
                self._set.Compile()
            except re2.error:
                raise PatternError("cannot compile the pattern set") from None

    def matching(self, target: Target) -> set[int]:
        """Indexes of the patterns that occur in the target."""
        if not self.size:
            return set()
        if len(target.text) > MAX_GATED_CHARS:
            return {i for i, pattern in enumerate(self._patterns) if pattern.search(target)}
        return set(self._set.Match(target.data) or ())


def compile_check(source: str, *, case_insensitive: bool = False) -> str | None:
    """RE2's error message for a pattern, or None if it compiles."""
    try:
        Pattern(source, case_insensitive=case_insensitive)
    except PatternError as error:
        message = str(error)
        return message or "invalid pattern"
    return None
