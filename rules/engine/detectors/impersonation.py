"""Accounts imitating the council or its people (category impersonation).

The policies: "do not impersonate someone else". A comment's author imitates the council when
their handle or display name (``Context.author_handle`` / ``author_name``) is made to look like
one of the council's names, handles or domains (``settings["own_names"]``, e.g. "Exampleshire
County Council", "@exampleshirecc"; ``settings["own_domains"]``) or a named councillor's or
officer's (``settings["staff_names"]``). Each name the author shows is read as one of:

* **own**: one of the council's listed names or handles, written exactly (case and spaces
  aside): the council itself; nothing is flagged.
* **disguised** (``lookalike_account``): a protected name spelt in disguise (look-alike
  letters, leetspeak, punctuation: "@ExampIeshireCC", "exampleshire_cc", "exampleshire.gov.uk"),
  within a small edit distance of one (one change for names of 6–11 characters, two from 12),
  or one with words that dress an account up as the council's help desk, refunds or news
  ("exampleshirecc_official", "Exampleshire Council Help", "Exampleshire Council Refunds"), or
  with a verification tick in its name.
* **claims official** (``claims_official``, one severity step lower): a name that calls itself
  official or a help desk without naming the council ("Official Council Updates").
* **related**: a name the council's staff and services might well use, that is not a listed
  one: a member of staff's own name ("Cllr Jane Smith"), the council's name with a service
  ("Exampleshire Council Highways", "Exampleshire Libraries"), or "council", "councillor" or
  "mayor" in a name. Genuine staff and departments reply under such names, so it is flagged
  (``lookalike_account``) only when the comment does what impersonators do: asks for card,
  bank or identity details, demands payment ("pay now to avoid court"), or dresses a link to
  somewhere other than the council's or a public body's domains as a refund, fine, renewal or
  prize. A comment warning about scams ("we will never ask for bank details") does not.
* **commentary**: a name that comments on the council or a person ("Exampleshire Council
  Watch", "Jane Smith Fan", "Friends of Exampleshire Libraries") or none of the above:
  nothing is flagged.

``claims_in_text``: the comment itself speaking as the council ("This is Exampleshire County
Council, please DM us your bank details") from an account that is not the council's.

An author whose handle is exactly one of the council's own handles is the council: nothing is
flagged. Names are judged once per author (handles recur), in a bounded cache; the text is
judged per comment.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rules.engine.detectors.base import DetectorType, Gate, is_string_list, string_list
from rules.engine.detectors.links import (
    TRUSTED_SUFFIXES,
    edit_distance,
    is_under,
    urls_of,
)
from rules.engine.detectors.people import staff_names_and_roles
from rules.engine.document import Document
from rules.engine.lexicon import entry_patterns
from rules.engine.normalise import normalise
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_HANDLE_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_MIN_NAME = 5
_CACHE_SIZE = 4_096
# Titles staff put before their own names ("Cllr Jane Smith").
_TITLES = re.compile(r"^(?:cllr\.?|councillor|dr\.?|mayor|the\s+mayor|deputy\s+mayor)\s+")
# A tick in a display name imitates the platforms' verification badge.
_TICKS = frozenset("\u2705\u2714\u2611\U0001f5f8")


def skeleton(name: str) -> str:
    """A handle or name reduced to what it looks like: folded, no punctuation or spaces,
    digits read as letters, "rn" as "m"."""
    folded = normalise(unicodedata.normalize("NFKC", name)).text.translate(_HANDLE_LEET)
    # "I" (capital i) and "l" look alike in most fonts: read both as "l".
    folded = folded.replace("i", "l").replace("rn", "m").replace("vv", "w")
    return _NON_ALNUM.sub("", folded)


def _words(*words: str) -> re.Pattern[str]:
    """A pattern finding any of the words in a skeleton (which has no spaces)."""
    return re.compile("|".join(sorted({skeleton(word) for word in words}, key=len, reverse=True)))


# Words that dress an account up as the council's help desk, payments or announcements: with
# the council's name, an impersonator's ("Exampleshire Council Refunds"); alone, a claim to be
# official ("Official Updates").
_DRESSING = _words(
    "official",
    "offical",
    "support",
    "help",
    "helpdesk",
    "customer care",
    "customer service",
    "refund",
    "rebate",
    "grants",
    "payments",
    "giveaway",
    "alerts",
    "updates",
    "news",
    "info",
    "hq",
    "verify",
    "gov",
)
_CLAIMS_OFFICIAL = _words("official", "offical", "helpdesk", "customer service", "customer care")
# Words in a name that may be the council's own staff or services, judged with the text.
_COUNCIL_WORDS = _words("council", "cllr", "councillor", "mayor")
# Names that comment on the council or a person rather than speak for them.
_COMMENTARY = _words(
    "fan",
    "fans",
    "watch",
    "watcher",
    "supporter",
    "supporters",
    "friends of",
    "parents",
    "residents",
    "neighbour",
    "neighbours",
    "action group",
    "campaign",
    "parody",
    "not the",
    "critic",
    "watchdog",
    "against",
)

# What impersonators ask for: identity, card and bank details, with "your".
_DETAILS = re.compile(
    r"\b(?:card\s+(?:number|details)|card\b|bank\s+(?:details|account)|sort\s+code|"
    r"account\s+(?:number|details)|date\s+of\s+birth|dob|national\s+insurance|ni\s+number|"
    r"password|passport|pin|security\s+code|cvv|expiry(?:\s+date)?|full\s+name)\b"
)
_YOUR = re.compile(r"\b(?:your|ur)\b")
# Demands for payment, and what dresses a link up as something to act on now.
_DEMAND = re.compile(
    r"\b(?:pay\s+(?:now|today|here|online|immediately)|final\s+notice|avoid\s+(?:court|"
    r"bailiffs?|enforcement|a\s+fine|a\s+penalty|losing)|bailiffs?|overdue|arrears|"
    r"bank\s+transfer|send\s+(?:the\s+)?(?:payment|money)|personal\s+account|paypal|"
    r"(?:pay|payable)\b[^.]{0,50}\b(?:via|through|at)\s+(?:our|the|this)\s+link)\b"
)
# Moving people to private messages for payment or details, or asking them to post theirs.
_PRIVATE = re.compile(
    r"\b(?:(?:details|link|payment)\s+(?:by|via|over)\s+(?:dm|whatsapp|private\s+message)|"
    r"dm\s+(?:me|us)\s+for\s+(?:details|the\s+link|payment)|(?:via|by|on|over)\s+whatsapp|"
    r"link\s+we(?:'ll|\s+will)\s+(?:dm|send|message)|reply\s+with\s+your)\b"
)
_LURE = re.compile(
    r"\b(?:pay|paid|payment|refunds?|rebates?|owed|claim|prizes?|winners?|won|giveaway|grants?|"
    r"free|fines?|penalty|renew|renewal|expired?|verify|confirm|register|re-?register|"
    r"suspended|log\s*in|sign\s*in|update\s+your|apply|book|discount)\b"
)
# A comment warning about scams is not one.
_WARNING = re.compile(
    r"\b(?:never\s+(?:ask|send|request|message|contact)|will\s+never|ignore|fake|scams?|"
    r"not\s+(?:an?\s+|our\s+|the\s+)?(?:official|genuine|real)|isn'?t\s+(?:us|ours|real)|"
    r"do\s+not\s+(?:click|pay|share|send|give)|don'?t\s+(?:click|pay|share|send|give)|"
    r"report\s+(?:it|them|the\s+(?:page|account)))\b"
)

OWN, DISGUISED, CLAIMS, RELATED, NONE = "own", "disguised", "claims", "related", "none"
_RANK = {OWN: 0, NONE: 1, RELATED: 2, CLAIMS: 3, DISGUISED: 4}


@dataclass(frozen=True)
class NameVerdict:
    """How one shown name reads (a kind above) and why."""

    kind: str
    note: str = ""


def _plain_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def _exact(name: str) -> str:
    """A name as written, case and spaces aside."""
    return _SPACES.sub("", _plain_handle(name))


def _display(name: str) -> str:
    """A display name as written, case and runs of spaces aside."""
    return _SPACES.sub(" ", _plain_handle(name))


def scam_like(doc: Document, own_domains: Sequence[str]) -> str:
    """What in a comment does what impersonators do ("" when nothing): see the module
    docstring."""
    text = doc.plain.text
    if _WARNING.search(text):
        return ""
    if _DETAILS.search(text) and _YOUR.search(text):
        return "asks for card, bank or identity details"
    if _DEMAND.search(text):
        return "demands payment"
    if _PRIVATE.search(text):
        return "moves people to private messages or asks for their details"
    elsewhere = [
        url
        for url in urls_of(doc)
        if url.host and not is_under(url.host, [*own_domains, *TRUSTED_SUFFIXES])
    ]
    if elsewhere and _LURE.search(text):
        return f"sends people to {elsewhere[0].host or elsewhere[0].text}"
    return ""


class ImpersonationMatcher:
    """Judges the author's handle and name, and the text's claims to be the council."""

    def __init__(
        self, own_names: list[str], people: list[str], own_domains: Sequence[str] = ()
    ) -> None:
        # Handles are the names written without spaces ("@WealdmoorBC", "WealdmoorLibraries").
        self.own_handles = {_plain_handle(name) for name in own_names if " " not in name.strip()}
        self.own_display = {_display(name) for name in own_names if " " in name.strip()}
        self.people = {_exact(name) for name in people if name.strip()}
        self.own_domains = tuple(own_domains)
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
        self._cache: OrderedDict[tuple[str, str], NameVerdict] = OrderedDict()
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
        findings = []
        verdict = self._judge_author(handle, name) if (handle or name) else NameVerdict(NONE)
        if verdict.kind == DISGUISED:
            findings.append(Finding(0, 0, "lookalike_account", note=verdict.note))
        elif verdict.kind == CLAIMS:
            findings.append(Finding(0, 0, "claims_official", -1, note=verdict.note))
        elif verdict.kind == RELATED:
            what = scam_like(doc, self.own_domains)
            if what:
                note = f"{verdict.note}, and the comment {what}"
                findings.append(Finding(0, 0, "lookalike_account", note=note))
        if verdict.kind != OWN and self.claims is not None and self.claims.search(doc.plain.target):
            for start, end in self.claims.spans(doc.plain.target):
                findings.append(Finding(*doc.plain.to_original(start, end), "claims_in_text"))
        return findings

    def _judge_author(self, handle: str, name: str) -> NameVerdict:
        """The strongest reading of the author's handle and name."""
        key = (handle[:200], name[:200])
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        verdicts = [self.judge(shown) for shown in (handle, name) if shown.strip()]
        verdict = max(verdicts, key=lambda v: _RANK[v.kind], default=NameVerdict(NONE))
        self._cache[key] = verdict
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return verdict

    def judge(self, shown: str) -> NameVerdict:
        """How one handle or display name reads (the module docstring's kinds)."""
        shown = shown[:200]
        spaced = " " in shown.strip()
        # A display name is the council's when it is one of its listed names, or one of its
        # handles written with spaces ("Exampleshire Libraries" for @ExampleshireLibraries);
        # a handle is the council's only when listed ("ExampleshireCouncil" is not, even if
        # "Exampleshire Council" is).
        if _display(shown) in self.own_display or (spaced and _exact(shown) in self.own_handles):
            return NameVerdict(OWN)
        candidate = skeleton(shown)
        if len(candidate) < _MIN_NAME:
            return NameVerdict(NONE)
        quoted = shown.strip()[:60]
        commentary = bool(_COMMENTARY.search(candidate))
        ticked = any(mark in shown for mark in _TICKS)
        untitled = _exact(_TITLES.sub("", _display(shown)))
        if untitled in self.people:
            return NameVerdict(RELATED, f'"{quoted}" is the name of a member of staff')
        related: NameVerdict | None = None
        for protected, who in self.protected:
            limit = 0 if len(protected) < 6 else 1 if len(protected) < 12 else 2
            if candidate == protected or (
                limit and edit_distance(candidate, protected, limit) <= limit
            ):
                # The same look with other letters or punctuation: a disguise.
                return NameVerdict(DISGUISED, f'"{quoted}" looks like {who}')
            if protected in candidate and not commentary:
                rest = candidate.replace(protected, " ")
                if ticked or _DRESSING.search(rest):
                    return NameVerdict(
                        DISGUISED, f'"{quoted}" dresses up the name of {who} as official'
                    )
                # The council's handles are listed: an unlisted handle built on one of its
                # names was registered to look like it ("ExampleshireCC_Grants").
                if not spaced:
                    return NameVerdict(DISGUISED, f'"{quoted}" is a handle built on {who}')
                related = related or NameVerdict(RELATED, f'"{quoted}" contains the name of {who}')
        if related is not None:
            return related
        if commentary:
            return NameVerdict(NONE)
        if _CLAIMS_OFFICIAL.search(candidate) or ticked:
            return NameVerdict(CLAIMS, f'"{quoted}" presents itself as official')
        if _COUNCIL_WORDS.search(candidate):
            return NameVerdict(RELATED, f'"{quoted}" names a council or a councillor')
        return NameVerdict(NONE)


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> ImpersonationMatcher:
    """An impersonation matcher from the organisation settings."""
    own_names = string_list(settings, "own_names") + string_list(params, "own_names")
    people = staff_names_and_roles(settings)[0] + string_list(params, "staff_names")
    # The council's domains are protected names but never its handles: an account called
    # "wealdmoor.gov.uk" imitates the council.
    return ImpersonationMatcher(own_names, people, string_list(settings, "own_domains"))


DETECTOR = DetectorType(
    name="impersonation",
    description="Authors imitating the council's or its people's names and handles.",
    params={"own_names": is_string_list, "staff_names": is_string_list},
    build=build,
)
