"""UK insults: abusive words better-profanity lacks, and everyday words used as insults.

Three lists under ``data/``:

* ``insults_strong.txt``: abusive wherever they appear ("bollocks", "nonce", "scumbag"), and
  the hate detector's slurs, which are abusive language as well as hate.
* ``insults_people.txt``: words that only ever describe people ("cretin", "numpty", "liar"):
  they count after a form of address or after "is/are a", with up to three words between
  ("what a bunch of incompetent cretins", "McAllister is a lying cow").
* ``insults_directed.txt``: insults only when aimed at someone. "Muppet", "tool", "clown",
  "pig" and "snake" are ordinary words ("the Muppets", "a useful tool"), so they count only
  after a form of address ("you muppet", "you're an absolute clown", "what a prat"), in a
  collective ("bunch of clowns", "shower of idiots"), after an intensifier ("absolute
  numpties") or as what a person or the council *is* ("the councillors are morons").

Aimed insults are one severity step below the rule's. Plurals count, and a match inside an
innocent phrase or place name ("Bell End") is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rules.engine.detectors.base import DetectorType, Gate, is_bool, view_spans
from rules.engine.detectors.hate import slur_groups
from rules.engine.detectors.profanity import data_text, innocent_phrases
from rules.engine.document import Document
from rules.engine.lexicon import Lexicon, entry_patterns, plural_suffix, read_list
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

# Words that may sit between the address and the insult: "you absolute bloody muppet".
_MODIFIERS = (
    r"(?:(?:an?|the|such an?|absolute|utter|total|complete|proper|bloody|thick|stupid|useless|"
    r"pathetic|fat|ugly|little|lazy|brainless|clueless|spineless|lying|massive|big|old|"
    r"jumped[ -]up|f[a-z*]*ing|sh[a-z*]*ing|[a-z]+ing)\s+){0,3}"
)
_ADDRESS = (
    r"(?:you'?re|youre|you are|you r|u r|ur|you|u|ya|yous|youse|"
    r"what an?|such an?|bunch of|load of|pack of|shower of|set of|lot of|band of|"
    r"absolute|utter|total|complete|proper)"
)
_SUBJECT = (
    r"(?:council|councillors?|cllrs?|staff|officers?|management|mayor|leader|government|"
    r"they|he|she|this lot|these people|those people|you lot|mps?)"
)
_BE = r"(?:is|are|was|were|'?s|'?re)"
# "X is a", "X are a bunch of": what makes any subject the target of a people-only insult.
_IS_A = (
    r"(?:[a-z0-9']+\s+(?:is|are|was|were)\s+(?:an?|such\s+an?|just\s+an?|a\s+bunch\s+of|"
    r"a\s+load\s+of|a\s+pack\s+of)|[a-z0-9]+'(?:s|re)\s+(?:an?|such\s+an?|a\s+bunch\s+of))"
)
# Modifiers that make an everyday word an insult whoever the subject ("X is a lying cow").
_PEJORATIVE = (
    r"(?:absolute|utter|total|complete|proper|bloody|thick|stupid|useless|pathetic|fat|ugly|"
    r"lazy|brainless|clueless|spineless|lying|jumped[ -]up|f[a-z*]*ing|sh[a-z*]*ing)"
)


@lru_cache(maxsize=1)
def _lists() -> tuple[list[str], list[str], list[str]]:
    return (
        read_list(data_text("insults_strong.txt")),
        read_list(data_text("insults_directed.txt")),
        read_list(data_text("insults_people.txt")),
    )


def _alternation(words: list[str]) -> str:
    alternatives = {
        pattern + plural_suffix(word)
        for word in words
        for pattern in entry_patterns(word, whole_word=False)
    }
    return "(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + ")"


def _directed_source(words: list[str]) -> str:
    insult = _alternation(words)
    return (
        rf"\b(?:{_ADDRESS}\s+{_MODIFIERS}{insult}|{_SUBJECT}\s+{_BE}\s+{_MODIFIERS}{insult}"
        rf"|{_IS_A}\s+{_PEJORATIVE}\s+{_MODIFIERS}{insult})\b"
    )


def _people_source(words: list[str]) -> str:
    insult = _alternation(words)
    between = r"(?:[a-z'*-]+\s+){0,3}?"
    return rf"\b(?:{_ADDRESS}|{_IS_A})\s+{between}{insult}\b"


class InsultsMatcher:
    """Strong insults anywhere, the others when aimed at someone."""

    def __init__(self, *, directed: bool) -> None:
        strong_words, directed_words, people_words = _lists()
        # Slurs are abusive language as well as hate: they count here too (the hate rule
        # escalates them).
        slurs = [word for words in slur_groups().values() for word in words]
        self.strong = Lexicon.build([*strong_words, *slurs], plurals=True)
        gates = [Gate("words", self.strong.source)]
        self.directed: tuple[Pattern, ...] = ()
        if directed:
            sources = (_directed_source(directed_words), _people_source(people_words))
            self.directed = tuple(Pattern(source, longest=True) for source in sources)
            gates.extend(Gate("words", source) for source in sources)
        self.gates = tuple(gates)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Strong insults at the rule's severity, aimed ones a step lower."""
        findings = [Finding(start, end, "insult") for start, end in self.strong.spans(doc.words)]
        for pattern in self.directed:
            findings.extend(
                Finding(start, end, "directed_insult", -1)
                for start, end in view_spans(pattern, doc.words)
            )
        if findings:
            innocent = innocent_phrases().spans(doc.words)
            findings = [
                finding
                for finding in findings
                if not any(s <= finding.start and finding.end <= e for s, e in innocent)
            ]
        return findings


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> InsultsMatcher:
    """An insults matcher from a rule's parameters."""
    return InsultsMatcher(directed=params.get("directed", True))


DETECTOR = DetectorType(
    name="insults",
    description="UK insults: strong ones anywhere, everyday words when aimed at someone.",
    params={"directed": is_bool},
    build=build,
)
