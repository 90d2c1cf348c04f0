"""One text being evaluated: its folded views, computed once and shared by every rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from rules.engine.normalise import Normalised, View
from rules.engine.scan import PatternSet

ViewName = Literal["plain", "words"]
T = TypeVar("T")


class Document:
    """The original text, its folded views and anything rules compute once per text.

    Views are built on first use, so a rule set that only needs the plain view never pays for
    the words views.
    """

    __slots__ = ("_gate_hits", "_memo", "normalised", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self.normalised = Normalised(original)
        self._memo: dict[str, Any] = {}
        self._gate_hits: dict[ViewName, set[int]] = {}

    @property
    def plain(self) -> View:
        """NFKC, case-folded, confusables folded, invisible characters removed."""
        return self.normalised.plain

    @property
    def words(self) -> tuple[View, ...]:
        """The plain view with leetspeak, spacing and stretched letters folded."""
        return self.normalised.words

    def views(self, name: ViewName) -> tuple[View, ...]:
        """The views of one kind."""
        return (self.plain,) if name == "plain" else self.words

    def memo(self, key: str, compute: Callable[[Document], T]) -> T:
        """Compute something once per text (URLs, tokens) and share it between rules."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        result: T = self._memo[key]
        return result

    def gate_hits(self, name: ViewName, gates: PatternSet) -> set[int]:
        """Which gate patterns occur in the views of one kind (one pass per view)."""
        hits = self._gate_hits.get(name)
        if hits is None:
            hits = set()
            for view in self.views(name):
                hits |= gates.matching(view.target)
            self._gate_hits[name] = hits
        return hits

    def snippet(self, start: int, end: int, limit: int = 60) -> str:
        """The original text of a span, printable and short, for explanations."""
        raw = self.original[start:end]
        cleaned = "".join(
            char if char.isprintable() and not ("\ud800" <= char <= "\udfff") else " "
            for char in raw[: limit + 1]
        )
        cleaned = " ".join(cleaned.split())
        return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
