"""What every matcher provides, and helpers for detectors' parameters and settings.

A matcher is built once when a rule set compiles and then called for each text. It may
declare *gates*: RE2 patterns that must occur in a view of the text for the matcher to have
anything to find. The compiler matches every rule's gates in one pass per view and skips
rules whose gates are absent, which is what makes a rule set of many detectors cheap on the
great majority of comments that break no rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rules.engine.document import Document, ViewName
from rules.engine.normalise import View
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding


@dataclass(frozen=True, slots=True)
class Gate:
    """An RE2 pattern that must occur in a view for a matcher to run."""

    view: ViewName
    source: str


class Matcher(Protocol):
    """A compiled rule body: finds what one rule looks for in one text."""

    @property
    def gates(self) -> tuple[Gate, ...]:
        """Patterns at least one of which must occur for ``find`` to have anything to find;
        empty when the matcher must always run (it depends on the context, say)."""
        ...

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Findings in the original text's coordinates; [] when nothing matches."""
        ...


# A matcher that judges the context as well as the text may also define
#     def wants(self, context: Context) -> bool
# saying whether a context gives it anything to look at. The compiler then runs it when the
# context does or when one of its gates occurs, and skips it otherwise (even with no gates).


ParamCheck = Callable[[Any], str | None]


@dataclass(frozen=True)
class DetectorType:
    """A built-in detector: its parameters and how to build a matcher from them."""

    name: str
    description: str
    params: Mapping[str, ParamCheck]
    build: Callable[[Mapping[str, Any], Mapping[str, Any]], Matcher]
    extra_check: Callable[[Mapping[str, Any]], list[str]] | None = None

    def validate(self, params: Mapping[str, Any]) -> list[str]:
        """Human-readable problems with a rule's parameters for this detector."""
        problems = []
        for key, value in params.items():
            if key == "detector":
                continue
            check = self.params.get(key)
            if check is None:
                known = ", ".join(sorted(self.params)) or "none"
                problems.append(f"unknown parameter {key!r} for detector {self.name!r} ({known})")
                continue
            problem = check(value)
            if problem:
                problems.append(f"{key}: {problem}")
        if not problems and self.extra_check is not None:
            problems.extend(self.extra_check(params))
        return problems


def is_bool(value: Any) -> str | None:
    """Parameter check: true or false."""
    return None if isinstance(value, bool) else "must be true or false"


def is_choice(*choices: str) -> ParamCheck:
    """Parameter check: one of the given strings."""

    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return "must be one of " + ", ".join(repr(choice) for choice in choices)

    return check


def is_subset(*choices: str) -> ParamCheck:
    """Parameter check: a non-empty list drawn from the given strings."""

    def check(value: Any) -> str | None:
        if (
            isinstance(value, list | tuple)
            and value
            and all(isinstance(item, str) and item in choices for item in value)
        ):
            return None
        return "must be a non-empty list drawn from " + ", ".join(repr(c) for c in choices)

    return check


def is_string_list(value: Any) -> str | None:
    """Parameter check: a list of non-empty strings (may be empty)."""
    if isinstance(value, list | tuple) and all(
        isinstance(item, str) and item.strip() for item in value
    ):
        return None
    return "must be a list of non-empty strings"


def is_number(low: float, high: float) -> ParamCheck:
    """Parameter check: a number within bounds."""

    def check(value: Any) -> str | None:
        if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
            return None
        return f"must be a number from {low:g} to {high:g}"

    return check


def string_list(source: Mapping[str, Any], key: str) -> list[str]:
    """A list of strings from settings or params, ignoring anything malformed."""
    value = source.get(key) if isinstance(source, Mapping) else None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def number(source: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    """A bounded number from settings or params, falling back to the default if malformed."""
    value = source.get(key) if isinstance(source, Mapping) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
        return float(value)
    return default


def view_spans(
    pattern: Pattern, views: Sequence[View], limit: int | None = None
) -> list[tuple[int, int]]:
    """Original-text spans of a pattern's matches in each view."""
    spans = []
    for view in views:
        found = pattern.spans(view.target) if limit is None else pattern.spans(view.target, limit)
        for start, end in found:
            spans.append(view.to_original(start, end))
    return spans


@dataclass(frozen=True, slots=True)
class Phrase:
    """One labelled pattern of a detector: RE2 syntax with no capturing groups of its own."""

    label: str
    source: str
    severity_delta: int = 0


class PhraseSet:
    """A detector's phrases compiled into one alternation, one capturing group per phrase, so
    one pass finds every phrase and says which one matched. The same source is the gate."""

    def __init__(self, phrases: Sequence[Phrase], *, view: ViewName = "words") -> None:
        if not phrases:
            raise ValueError("a phrase set needs at least one phrase")
        self.phrases = tuple(phrases)
        self.view: ViewName = view
        self.source = "|".join(f"({phrase.source})" for phrase in self.phrases)
        self.pattern = Pattern(self.source)
        self.gate = Gate(view, self.source)

    def find(self, doc: Document) -> list[Finding]:
        """Findings for every phrase occurrence in the chosen views."""
        findings = []
        for view in doc.views(self.view):
            for start, end, group in self.pattern.labelled_spans(view.target):
                phrase = self.phrases[max(group, 1) - 1]
                findings.append(
                    Finding(*view.to_original(start, end), phrase.label, phrase.severity_delta)
                )
        return findings


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (for long literal lists)."""
    return frozenset(text.split())
