"""Accounts imitating the council or its people (category impersonation).

The policies: "do not impersonate someone else". A comment's author imitates the council when
their handle or display name (``Context.author_handle`` / ``author_name``) is a look-alike of
one of the council's names, handles or domains (``settings["own_names"]``, e.g. "Exampleshire
County Council", "@exampleshirecc"; ``settings["own_domains"]``) or of a named councillor or
officer (``settings["staff_names"]``):

* ``lookalike_account``: the same after folding look-alike letters, leetspeak, case and
  punctuation ("@ExampIeshireCC", "exampleshire_cc"), or within a small edit distance of it
  (one change for names of 6–11 characters, two from 12), or one of them with words added
  ("exampleshirecc_official", "Exampleshire Council Help").
* ``claims_official``: a name that calls itself official, or the council, without being one of
  the council's own accounts ("Official Council Updates"), one severity step lower.
* ``claims_in_text``: the comment itself speaking as the council ("This is Exampleshire County
  Council, please DM us your bank details") from an account that is not the council's.

An author whose handle is exactly one of the council's own handles is the council: nothing is
flagged. Results are cached per author (handles recur), in a bounded cache.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from rules.engine.detectors.base import DetectorType, Gate, is_string_list, string_list
from rules.engine.detectors.links import edit_distance
from rules.engine.document import Document
from rules.engine.lexicon import entry_patterns
from rules.engine.normalise import normalise
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HANDLE_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_OFFICIAL = re.compile(r"official|council|cllr|councillor|mayor|helpdesk|customerservice")
_MIN_NAME = 5
_CACHE_SIZE = 4_096


def skeleton(name: str) -> str:
    """A handle or name reduced to what it looks like: folded, no punctuation or spaces,
    digits read as letters, "rn" as "m"."""
    folded = normalise(unicodedata.normalize("NFKC", name)).text.translate(_HANDLE_LEET)
    # "I" (capital i) and "l" look alike in most fonts: read both as "l".
    folded = folded.replace("i", "l").replace("rn", "m").replace("vv", "w")
    return _NON_ALNUM.sub("", folded)


def _plain_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


class ImpersonationMatcher:
    """Judges the author's handle and name, and the text's claims to be the council."""

    def __init__(
        self, own_names: list[str], people: list[str], own_domains: Sequence[str] = ()
    ) -> None:
        # Handles are the names written without spaces ("@WealdmoorBC", "WealdmoorLibraries").
        self.own_handles = {_plain_handle(name) for name in own_names if " " not in name.strip()}
        protected = [(name, "the council") for name in [*own_names, *own_domains]] + [
            (name, name) for name in people
        ]
        self.protected = [
            (skeleton(name), who) for name, who in protected if len(skeleton(name)) >= _MIN_NAME
        ]
        claim_alternatives = [
            pattern for name in own_names for pattern in entry_patterns(name.lstrip("@"))
        ]
        self.claims: Pattern | None = None
        if claim_alternatives:
            names = "(?:" + "|".join(sorted(set(claim_alternatives), key=len, reverse=True)) + ")"
            self.claims = Pattern(
                r"\b(?:this\s+is|we\s+are|we'?re|i\s+am|i'?m|on\s+behalf\s+of|message\s+from|"
                rf"official\s+(?:account|page)\s+of|here\s+at)\s+(?:the\s+)?{names}"
            )
        self._cache: OrderedDict[tuple[str, str], list[Finding]] = OrderedDict()
        self.gates: tuple[Gate, ...] = (
            (Gate("plain", self.claims.source),) if self.claims is not None else ()
        )

    def wants(self, context: Context) -> bool:
        """The author's handle and name are judged whenever there are any."""
        return bool(context.author_handle or context.author_name)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Findings about the author's identity, and claims in the text."""
        handle, name = context.author_handle or "", context.author_name or ""
        if handle and _plain_handle(handle) in self.own_handles:
            return []
        findings = list(self._judge_author(handle, name)) if (handle or name) else []
        if self.claims is not None and self.claims.search(doc.plain.target):
            for start, end in self.claims.spans(doc.plain.target):
                findings.append(Finding(*doc.plain.to_original(start, end), "claims_in_text"))
        return findings

    def _judge_author(self, handle: str, name: str) -> list[Finding]:
        key = (handle[:200], name[:200])
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        findings = []
        for shown in (handle, name):
            finding = self._judge(shown)
            if finding is not None:
                findings.append(finding)
                break
        self._cache[key] = findings
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return findings

    def _judge(self, shown: str) -> Finding | None:
        if not shown.strip():
            return None
        candidate = skeleton(shown[:200])
        if len(candidate) < _MIN_NAME:
            return None
        quoted = shown.strip()[:60]
        for protected, who in self.protected:
            limit = 0 if len(protected) < 6 else 1 if len(protected) < 12 else 2
            if candidate == protected or (
                limit and edit_distance(candidate, protected, limit) <= limit
            ):
                return Finding(0, 0, "lookalike_account", note=f'"{quoted}" looks like {who}')
            if protected in candidate:
                return Finding(
                    0, 0, "lookalike_account", note=f'"{quoted}" contains the name of {who}'
                )
        if _OFFICIAL.search(_NON_ALNUM.sub("", normalise(shown[:200]).text)):
            return Finding(
                0, 0, "claims_official", -1, note=f'"{quoted}" presents itself as official'
            )
        return None


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> ImpersonationMatcher:
    """An impersonation matcher from the organisation settings."""
    own_names = string_list(settings, "own_names") + string_list(params, "own_names")
    people = string_list(settings, "staff_names") + string_list(params, "staff_names")
    # The council's domains are protected names but never its handles: an account called
    # "wealdmoor.gov.uk" imitates the council.
    return ImpersonationMatcher(own_names, people, string_list(settings, "own_domains"))


DETECTOR = DetectorType(
    name="impersonation",
    description="Authors imitating the council's or its people's names and handles.",
    params={"own_names": is_string_list, "staff_names": is_string_list},
    build=build,
)
