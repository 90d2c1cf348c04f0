"""Swearing and obscenity: better-profanity's word list, compiled into one pattern.

better-profanity (0.7.0) compares every word of a comment with every entry of its list and
each entry's character variants, in Python: about 26 comments a second. Here the list is
loaded once and compiled into one RE2 alternation whose letters accept the same variants
(``CHARS_MAPPING``), and it runs on the words views, so evasions better-profanity misses
("f u c k", "ｆｕｃｋ", "f\u200buck", "fuuuuck", "sh1t!") are caught too.

Two word lists:

* ``better_profanity``: the package's list as shipped.
* ``council`` (default): the same list without entries that are ordinary words in council
  threads, identity terms, or another detector's business (``data/
  profanity_council_exclusions.txt`` says which and why), plus abbreviations and vowel-less
  spellings it lacks ("ffs", "fcking", ``data/profanity_extra.txt``).

In the default mode a word also matches in the plural ("bastards"), several-asterisk masks
are caught ("f***", "c**t"), the middle-finger emoji counts, and a match wholly inside an
innocent phrase or place name is dropped ("great tits", "pussy willow", "Bell End": ``data/
profanity_innocent_phrases.txt``).

``fold_evasions=False`` reproduces better-profanity's own verdicts, quirks included: the
lower-cased text, the same character variants, ``'"@$*`` counted as letters, and neighbouring
words glued together ("pen is" counts as "penis"). The benchmark uses it to check that the
compiled list agrees with the package; the default rule does not use it.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from rules.engine.detectors.base import (
    DetectorType,
    Gate,
    is_bool,
    is_choice,
    is_string_list,
    string_list,
    view_spans,
)
from rules.engine.document import Document
from rules.engine.lexicon import Lexicon, entry_problem, read_list
from rules.engine.normalise import View, fold_words
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

# better-profanity's CHARS_MAPPING (better_profanity/better_profanity.py, 0.7.0).
BETTER_PROFANITY_VARIANTS: dict[str, str] = {
    "a": "a@*4",
    "i": "i*l1",
    "o": "o*0@",
    "u": "u*v",
    "v": "v*u",
    "l": "l1",
    "e": "e*3",
    "s": "s$5",
    "t": "t7",
}
# Characters better-profanity counts as part of a word besides letters and digits.
_BP_WORD_EXTRA = "@$*'\""
# In the better-profanity view every character it does not count as a letter is a space.
_BP_GLUE = " *"

# Letters the variant classes do not tell apart, read as one ("l" as "i", "v" as "u").
_MATCH_KEY = str.maketrans({"l": "i", "v": "u", "*": "_"})
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_SPACED = re.compile(r"[a-z0-9@$][^a-z0-9@$]{1,3}[a-z0-9@$][^a-z0-9@$]{1,3}[a-z0-9@$]", re.I)
_LEET = re.compile(r"[a-z][0-9@$!|+]|[0-9@$!|+][a-z]", re.I)
_STRETCHED = re.compile(r"([a-z])\1\1", re.I)


def data_text(name: str) -> str:
    """A data file shipped under ``rules/engine/data/``."""
    return files("rules.engine").joinpath("data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def better_profanity_words() -> tuple[str, ...]:
    """better-profanity's word list, read from the installed package without importing it
    (importing it builds its own slow matcher)."""
    spec = find_spec("better_profanity")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the better-profanity package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "profanity_wordlist.txt"
    words = [line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()]
    return tuple(dict.fromkeys(word for word in words if word))


def match_key(entry: str) -> str:
    """What an entry matches once folded and read through the letter variants: entries with
    the same key match the same words ("he11" and "hell", "fvck" and "fuck")."""
    folded = fold_words(entry)[0] if fold_words(entry) else entry.lower()
    return folded.translate(_MATCH_KEY)


def without(entries: Iterable[str], excluded: Iterable[str]) -> list[str]:
    """Entries minus those that would match an excluded word."""
    excluded_keys = {match_key(word) for word in excluded}
    return [entry for entry in entries if match_key(entry) not in excluded_keys]


@lru_cache(maxsize=1)
def council_words() -> tuple[str, ...]:
    """better-profanity's list without the council exclusions, with the extra spellings."""
    excluded = read_list(data_text("profanity_council_exclusions.txt"))
    extra = read_list(data_text("profanity_extra.txt"))
    return tuple(dict.fromkeys([*without(better_profanity_words(), excluded), *extra]))


@lru_cache(maxsize=1)
def innocent_phrases() -> Lexicon:
    """Innocent phrases and places that contain a listed word ("great tits", "Bell End")."""
    return Lexicon.build(read_list(data_text("profanity_innocent_phrases.txt")))


# Swear words masked with several asterisks, which no single-letter variant covers ("f***",
# "c**t", "b******s"): the first letter or two, asterisks, perhaps the last letters.
_MASKED = Pattern(
    r"(?:^|[^a-z0-9*])((?:f\*{2,3}(?:k|ck)?|f\*ck|sh\*{2,3}t?|c\*{2,3}t?|b\*{4,6}(?:d|ds|s)?|"
    r"tw\*{2}|w\*{3,4}r|a\*{2,4}hole|b\*{2,3}ch|p\*{3}k)(?:ing|in|ed|er|ers|s)?)"
    r"(?:[^a-z0-9*]|$)",
    group=1,
)
_RUDE_EMOJI = Pattern("\U0001f595")


def evasion_label(original: str) -> str:
    """How a matched word was disguised, for the officer: the first trick that explains it."""
    if _INVISIBLE.search(original):
        return "hidden_characters"
    if not original.isascii():
        return "lookalike_letters"
    if _SPACED.search(original) and not original.isalpha():
        return "spaced_letters"
    if _LEET.search(original):
        return "leetspeak"
    if _STRETCHED.search(original):
        return "stretched"
    if "*" in original:
        return "masked"
    return "profanity"


def _compat_entry(entry: str) -> str:
    """An entry as better-profanity matches it: each letter or one of its variants, and,
    because it glues neighbouring words together before comparing ("pen is" is "penis",
    "w a n k e r" is "wanker"), any run of separators between two letters."""
    parts = []
    for char in entry:
        variants = BETTER_PROFANITY_VARIANTS.get(char)
        if variants:
            parts.append("[" + re.escape(variants) + "]")
        else:
            parts.append(re.escape(char) if char in _bp_letters() else " ")
    return _BP_GLUE.join(parts)


@lru_cache(maxsize=1)
def _bp_letters() -> frozenset[str]:
    """The characters better-profanity counts as part of a word (its ALLOWED_CHARACTERS)."""
    spec = find_spec("better_profanity")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the better-profanity package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "alphabetic_unicode.json"
    letters = set(json.loads(path.read_text(encoding="utf-8")))
    letters.update(string.ascii_letters, string.digits, _BP_WORD_EXTRA)
    return frozenset(letters)


class _BetterProfanityView(dict[int, str]):
    """A ``str.translate`` table: letters as better-profanity sees them, all else a space."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = char if char in _bp_letters() else " "
        if len(self) < 65_536:
            self[code] = mapped
        return mapped


_BP_VIEW = _BetterProfanityView()


class ProfanityMatcher:
    """Finds list entries in a text; see the module docstring."""

    def __init__(self, entries: list[str], *, fold_evasions: bool, plurals: bool = True) -> None:
        self.fold_evasions = fold_evasions
        if fold_evasions:
            self.lexicon: Lexicon | None = Lexicon.build(entries, plurals=plurals)
            self.pattern = self.lexicon.pattern
            self.gates: tuple[Gate, ...] = (
                Gate("words", self.lexicon.source),
                Gate("words", _MASKED.source),
                Gate("plain", _RUDE_EMOJI.source),
            )
        else:
            self.lexicon = None
            alternation = "|".join(
                sorted({_compat_entry(entry) for entry in entries}, key=len, reverse=True)
            )
            source = f"(?:^| )({alternation})(?: |$)"
            self.pattern = Pattern(source, longest=True, group=1)
            self.gates = ()

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Each list entry found, labelled with the disguise it wore, if any."""
        if self.lexicon is None:
            spans = self._compat_spans(doc)
            return [
                Finding(start, end, evasion_label(doc.original[start:end])) for start, end in spans
            ]
        findings = [
            Finding(start, end, evasion_label(doc.original[start:end]))
            for start, end in self.lexicon.spans(doc.words)
        ]
        findings.extend(Finding(s, e, "masked") for s, e in view_spans(_MASKED, doc.words))
        findings.extend(
            Finding(s, e, "rude_emoji") for s, e in view_spans(_RUDE_EMOJI, [doc.plain])
        )
        if findings:
            innocent = innocent_phrases().spans(doc.words)
            if innocent:
                findings = [
                    finding
                    for finding in findings
                    if not any(s <= finding.start and finding.end <= e for s, e in innocent)
                ]
        return findings

    def _compat_spans(self, doc: Document) -> list[tuple[int, int]]:
        # better-profanity looks at each word's letters through str.lower; the view maps
        # every other character to a space, keeping positions.
        folded = "".join(
            char.lower() if len(char.lower()) == 1 else char for char in doc.original
        ).translate(_BP_VIEW)
        # better-profanity never glues on a one-letter word that ends the text ("f u c k" is
        # clean to it): its look-ahead ignores a word starting at the last character.
        if len(folded) >= 2 and folded[-2] == " " and folded[-1] != " ":
            folded = folded[:-1] + " "
        view = View(folded)
        return [view.to_original(start, end) for start, end in self.pattern.spans(view.target)]


def _entries(params: Mapping[str, Any]) -> list[str]:
    wordlist = params.get("wordlist", "council")
    words = list(better_profanity_words() if wordlist == "better_profanity" else council_words())
    words.extend(string_list(params, "extra_words"))
    # Exclusions win over extra words: an admin removing a word means it.
    return without(words, string_list(params, "exclude_words"))


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> ProfanityMatcher:
    """A profanity matcher from a rule's parameters."""
    return ProfanityMatcher(
        _entries(params),
        fold_evasions=params.get("fold_evasions", True),
        plurals=params.get("plurals", True),
    )


def _check(params: Mapping[str, Any]) -> list[str]:
    problems = []
    for entry in string_list(params, "extra_words"):
        problem = entry_problem(entry)
        if problem:
            problems.append(f"extra_words: {problem}")
    return problems


DETECTOR = DetectorType(
    name="profanity",
    description="Swearing and obscenity (better-profanity's list), evasions included.",
    params={
        "wordlist": is_choice("council", "better_profanity"),
        "fold_evasions": is_bool,
        "plurals": is_bool,
        "extra_words": is_string_list,
        "exclude_words": is_string_list,
    },
    build=build,
    extra_check=_check,
)
