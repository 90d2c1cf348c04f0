"""Party politics: promoting a party or candidate, canvassing, slogans (category political).

The policies: "do not seek to promote the views or opinions of a particular political party";
officers "are unable to reply to, endorse or engage with any content that is of a party
political nature"; stricter rules in the pre-election period. Plain criticism of "the council"
is not party politics and never matches.

What counts (sub-labels):

* ``party_promotion``: a UK party named in a sentence (or the one after it) that campaigns or
  judges ("vote Labour", "the Tories have ruined this town", "Reform will freeze council
  tax", "Proud to stand for the Conservatives. Give me your vote").
* ``canvassing``: "vote for <Name>", "re-elect Cllr Jones", "Smith for Mayor!".
* ``slogan``: "take back control", "get Brexit done", "Tories out", "#VoteGreen" …
* ``candidate_promotion``: a name from ``settings["candidates"]`` (in full, with a title, or
  the surname alone when capitalised) in such a sentence, named with a party, or "for" a
  ward ("Gurney for Copsey Green").

With ``strict`` (the pre-election rule set) any party or candidate mention counts
(``party_mention``, ``candidate_mention``).

"Labour", "Conservative", "Reform", "Green", "Alliance" and "Liberal" are ordinary words
too ("labour costs", "a conservative estimate", "planning reform", "the village green"), so
they count as parties only when capitalised as posted ("LABOUR", "Labour").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import (
    DetectorType,
    Gate,
    Phrase,
    PhraseSet,
    is_bool,
    is_string_list,
    string_list,
    word_set,
)
from rules.engine.detectors.people import (
    is_named,
    name_source,
    sentence_and_next,
    surname_source,
)
from rules.engine.document import Document
from rules.engine.normalise import View
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

_UNAMBIGUOUS_PARTIES = (
    r"tory|tories|toryism|tory party|conservative party|labour party|lib ?dems?|"
    r"liberal democrats?|snp|scottish national party|plaid cymru|dup|democratic unionists?|"
    r"sinn fein|sdlp|uup|ulster unionists?|alliance party|ukip|reform uk|reform party|"
    r"brexit party|green party|greens party|alba party|workers party(?: of britain)?|tusc|"
    r"bnp|british national party|britain first|english democrats|monster raving loony|"
    r"yorkshire party|social democratic party"
)
# Parties whose names are ordinary words: counted only when capitalised as posted.
_AMBIGUOUS_PARTIES = r"labour|conservatives?|reform|greens?|alliance|liberals?"
PARTIES = rf"\b(?:{_UNAMBIGUOUS_PARTIES}|{_AMBIGUOUS_PARTIES})\b"
_AMBIGUOUS = re.compile(rf"^(?:{_AMBIGUOUS_PARTIES})$")

# Words that make a sentence naming a party or candidate campaign or judge.
_PROMOTING = Pattern(
    r"\b(?:vote[sd]?|voting|voter?s|elect|elected|re-?elect|support(?:s|ed|ing)?|back(?:ing)?|"
    r"join(?:ed)?|campaign(?:ing|s)?|canvass(?:ing)?|get rid of|"
    r"(?:kick|boot|keep|vote|throw)(?:\s+\w+){0,2}\s+out|"
    r"scum|liars?|lying|lies|corrupt|useless|failed|failing|ruined|ruin|destroyed|"
    r"destroying|broke|broken|fault|blame|to blame|thanks to|well done|great job|brilliant|"
    r"best|worst|only (?:party|ones|hope|option)|will (?:fix|sort|save)|all the way|"
    r"for the win|ftw|forever|never again|never trust|up the|come on|disgrace(?:ful)?|"
    r"shambles|incompetent|clowns|idiots|traitors?|sleaze|sleazy|chaos|mess|"
    r"trust(?:ed)?|winning|win|wins|won|beat|beaten|done nothing|did nothing|nothing for|"
    r"will (?:fix|sort|save|freeze|cut|scrap|protect|deliver|lower|stop|build|bring|keep)|"
    r"promise[sd]?|pledge[sd]?|fight(?:ing|s)?|proud|simple choice|anyone but|fightback)\b"
)
_FOR_OFFICE = r"(?:mayor|councillor|mp|pm|prime minister|leader|police and crime commissioner|pcc)"
SLOGANS = (
    r"take back control|get brexit done|stop the boats|make britain great again|"
    r"for the many,? not the few|strong and stable|tories out|tory scum|red tories|labour out|"
    r"reform out|snp out|vote leave|vote remain|levelling up is a lie|"
    r"#\s?(?:vote|re-?elect)[a-z0-9]+|#\s?[a-z0-9]*(?:tories|tory|labour|libdems?|reform|snp|"
    r"greens?|conservatives?|plaid|ukip)[a-z0-9]*"
)
PHRASES: tuple[Phrase, ...] = (
    Phrase("slogan", rf"(?:^|[^a-z0-9])(?:{SLOGANS})\b"),
    Phrase("canvassing", r"\bre-?elect\s+(?:cllr\.?\s+|councillor\s+)?[a-z]+"),
    Phrase(
        "canvassing",
        rf"\b(?:vote|elect)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:for|as)\s+{_FOR_OFFICE}\b",
    ),
    Phrase("canvassing", rf"\b[a-z]+\s?4\s?{_FOR_OFFICE}\b"),
)
# "Smith 4 PM" is a slogan; "and 4pm", "from 4pm", "at 4 pm" is a time of day (the phrase set
# is RE2, which has no lookahead, so such a finding is dropped after it is found).
_A_TIME = re.compile(
    r"(?:and|or|to|from|at|until|till|til|by|before|after|between|around|about|gone|past|"
    r"open|opens|close|closes|shut|shuts|since|approx|roughly)\s?4\s?pm",
    re.IGNORECASE,
)
# "vote for Smith" / "Smith for Mayor": canvassing when the name is capitalised as posted and
# is not an everyday word ("vote for the new design", "Thanks for Mayor's awards").
# "Copsey Green", "Green Lane", "Reform Road": a party word inside a place or street name.
_STREET_AFTER = re.compile(
    r"\s+(?:road|rd|lane|ln|street|st|close|avenue|ave|way|drive|park|belt|court|place|"
    r"gardens|crescent|terrace|hill|walk|row|square|estate|centre|school|club|flag|card|"
    # Ordinary words after an ordinary word ("Conservative estimate", "Labour shortage"), a
    # fire station's watch ("Green Watch") and pubs ("the Labour in Vain").
    r"watch|estimate|amounts?|shortages?|costs?|in\s+vain)\b",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'-]*)\s+$")


def in_proper_noun(original: str, start: int, end: int) -> bool:
    """Whether a capitalised party word is part of a place or street name."""
    if _STREET_AFTER.match(original, end):
        return True
    before = _WORD_BEFORE.search(original[max(0, start - 40) : start])
    if before is None or not before.group(1)[0].isupper():
        return False
    # A capitalised word before it that does not start a sentence: "Copsey Green".
    preceding = original[: start - len(before.group(0))].rstrip()
    return (
        bool(preceding)
        and preceding[-1] not in ".!?:\n"
        and before.group(1).lower() not in (PARTY_PREFIXES)
    )


# Words that may stand before a party name without making it a place ("Vote Green", "Go Reform").
PARTY_PREFIXES = frozenset({"vote", "go", "the", "up", "support", "join", "back", "new", "old"})
_FOR_AFTER = re.compile(r"\s+for\s+[a-z]")
_OUT_AFTER = re.compile(r"\s+out\b(?!\s+(?:of|for|to|at|on|in|with|and)\b)")
_VOTE_FOR_NAME = Pattern(r"\bvote\s+for\s+([a-z]+)")
_NAME_FOR_OFFICE = Pattern(
    rf"(?:^|[.!?]\s*|\bvote\s+|\bsupport\s+|\bback\s+)([a-z]+(?:\s+[a-z]+)?)\s+for\s+"
    rf"{_FOR_OFFICE}\b"
)
_NOT_NAMES = word_set(
    """
    the a an this that it its them him her me us you your our their my his what who which
    whoever whichever anyone someone something everyone people local new more less better
    best change proposal option options design scheme plan plans project projects idea
    ideas park thanks thank applications nominations candidates candidate running votes
    vote nobody none all any each every one two three yes no remain leave
    """
)


class PoliticalMatcher:
    """Finds party-political promotion (or, when strict, any party or candidate mention)."""

    def __init__(self, *, strict: bool, candidates: list[str]) -> None:
        self.strict = strict
        self.parties = Pattern(PARTIES)
        self.phrases = PhraseSet(PHRASES)
        source = name_source(candidates)
        self.candidates = Pattern(source) if source else None
        surnames = surname_source(candidates)
        self.surnames = Pattern(surnames) if surnames else None
        gates = [
            Gate("words", PARTIES),
            self.phrases.gate,
            Gate("words", r"\bvote\s+for\b|\bfor\s+" + _FOR_OFFICE + r"\b"),
        ]
        gates.extend(Gate("words", extra) for extra in (source, surnames) if extra)
        self.gates = tuple(gates)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Promotion, canvassing, slogans; or, when strict, any mention."""
        findings = [
            finding
            for finding in self.phrases.find(doc)
            if not _A_TIME.fullmatch(doc.original[finding.start : finding.end])
        ]
        for view in doc.words:
            parties = self._parties(doc, view)
            candidates = self._candidates(doc, view)
            for start, end in parties:
                findings.extend(self._judge(view, start, end, "party"))
            for start, end in candidates:
                if not self.strict and (parties or _FOR_AFTER.match(view.text, end)):
                    # A candidate named with a party, or "Gurney for Copsey Green", is canvassing.
                    findings.append(Finding(*view.to_original(start, end), "candidate_promotion"))
                else:
                    findings.extend(self._judge(view, start, end, "candidate"))
            findings.extend(self._named_canvassing(doc, view))
        return findings

    def _parties(self, doc: Document, view: View) -> list[tuple[int, int]]:
        found = []
        for start, end in self.parties.spans(view.target):
            original = view.to_original(start, end)
            if _AMBIGUOUS.match(view.text[start:end]) and (
                not doc.original[original[0]].isupper() or in_proper_noun(doc.original, *original)
            ):
                continue
            found.append((start, end))
        return found

    def _candidates(self, doc: Document, view: View) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if self.candidates is not None:
            found.extend(self.candidates.spans(view.target))
        if self.surnames is not None:
            for start, end in self.surnames.spans(view.target):
                inside = any(s <= start and end <= e for s, e in found)
                if not inside and is_named(doc.original, *view.to_original(start, end)):
                    found.append((start, end))
        return found

    def _judge(self, view: View, start: int, end: int, kind: str) -> list[Finding]:
        original = view.to_original(start, end)
        if self.strict:
            return [Finding(*original, f"{kind}_mention")]
        left, right = sentence_and_next(view.text, start, end)
        # "Penrose out!", "Tories out": the name with "out" after it is a slogan.
        if _OUT_AFTER.match(view.text, end) or _PROMOTING.search_in(view.target, left, right):
            return [Finding(*original, f"{kind}_promotion")]
        return []

    def _named_canvassing(self, doc: Document, view: View) -> list[Finding]:
        findings = []
        for pattern in (_VOTE_FOR_NAME, _NAME_FOR_OFFICE):
            for start, end, name_start, name_end in pattern.group_spans(view.target, 1):
                name = view.text[name_start:name_end]
                first = name.split()[0] if name.split() else ""
                original_name = view.to_original(name_start, name_end)
                if (
                    first in _NOT_NAMES
                    or original_name[1] <= original_name[0]
                    or not doc.original[original_name[0]].isupper()
                ):
                    continue
                findings.append(Finding(*view.to_original(start, end), "canvassing"))
        return findings


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> PoliticalMatcher:
    """A political matcher from a rule's parameters and the organisation settings."""
    candidates = string_list(settings, "candidates") + string_list(params, "candidates")
    return PoliticalMatcher(strict=params.get("strict", False), candidates=candidates)


DETECTOR = DetectorType(
    name="political",
    description="Promoting a party or candidate, canvassing and slogans (strict: any mention).",
    params={"strict": is_bool, "candidates": is_string_list},
    build=build,
)
