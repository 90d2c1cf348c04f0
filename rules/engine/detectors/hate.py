"""Derogatory language on protected characteristics (category hate).

Protected characteristics are the Equality Act 2010's: age, disability, gender reassignment,
marriage and civil partnership, pregnancy and maternity, race (including colour, nationality
and ethnic origin), religion or belief, sex and sexual orientation. Two checks:

* ``slurs``: ``data/hate_slurs.txt``, grouped by characteristic (sub-label ``slur_<group>``).
* ``dehumanising``: a protected group said to be vermin, animals, a disease, criminals,
  thieves, scroungers (``dehumanising``); calls to deport, ban or harm a group
  (``call_to_harm``); "no more X", "X out", "don't want any more X", "X shouldn't be allowed
  to …", "X are taking over" (``exclusion``, one step lower); "go back to your own country",
  "go back to Poland", "learn English or go home", "send them back home" (``go_back``);
  well-known hateful tropes ("the Jews control …", "men in dresses", ``trope``, one step
  lower). A bare "send them back" counts only when the comment names a group, since people
  also send back forms and parcels.

Some slurs are mostly used without hate: in-group "nigga", and "retard", "faggot" or "homo"
thrown as general insults (``LOOSE_SLURS``). The rule still finds them; beside the learned
stage, a hate finding resting on them alone is dropped when the model, which reads the rest of
the comment, does not flag hate (``learned.implied``).

Food and place names that contain a slur ("faggots and peas", a dish) are dropped, as the
profanity detector drops them (``data/profanity_innocent_phrases.txt``).

Counter-speech and reports. A slur can be quoted to condemn it or to report it ('calling
people "X" is not ok', 'someone called my son a X'); a rule cannot read intent, but three
signals are simple and reliable enough: the words are in quotation marks; a reporting verb
aimed at a person comes shortly before ("called me", "shouted at us", "said to my"); or a
condemnation is close by ("is not ok", "unacceptable", "hate crime", "don't call"). Such
counter-speech is lawful and stays clean (``counter_speech: "drop"``, the default). With
``counter_speech: "grade"`` it is shown two steps lower as ``reported_or_quoted`` instead, for
an organisation that wants reports of hate incidents surfaced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from rules.engine.detectors.base import (
    DetectorType,
    Phrase,
    PhraseSet,
    is_choice,
    is_subset,
    word_set,
)
from rules.engine.detectors.profanity import data_text, innocent_phrases
from rules.engine.document import Document
from rules.engine.lexicon import entry_patterns, read_list
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

GROUPS = (
    r"(?:(?:illegal )?immigrants|migrants|illegals|asylum seekers|refugees|foreigners|muslims|"
    r"moslems|jews|jewish people|blacks|black people|whites|white people|asians|africans|"
    r"indians|pakistanis|bangladeshis|chinese|arabs|romanians|bulgarians|albanians|poles|"
    r"polish people|eastern europeans|gypsies|travellers|roma|irish|scots|welsh|english|"
    r"gays|gay people|gay men|lesbians|homosexuals|trans people|trans women|transwomen|"
    r"trans men|transgenders|transsexuals|queers|bisexuals|the lgbtq?\+? (?:lot|community|mob)|"
    r"disabled people|the disabled|autistic people|autistics|wheelchair users|women|"
    r"pensioners|old people|the elderly|christians|catholics|protestants|hindus|sikhs|"
    r"buddhists|atheists|single mums|single mothers|pregnant women|"
    r"(?:polish|romanian|foreign|immigrant|muslim|asian|black|traveller|gypsy|eastern european|"
    r"trans|gay)\s+lot)"
)
_DEHUMANISING = (
    r"(?:vermin|animals|parasites|cockroaches|roaches|rats|scum|filth|filthy animals|savages|"
    r"subhuman|sub-human|sub human|a disease|a plague|a cancer|invaders|an infestation|lice|"
    r"leeches|apes|monkeys|criminals|rapists|terrorists|paedophiles|paedos|pedos|groomers|"
    r"nonces|inbred|inbreds|degenerates|freaks|perverts|mentally ill|an abomination|"
    r"abominations|not human|less than human|breeding like rabbits|dogs|pigs|thieves|"
    r"scroungers|spongers|benefit cheats|a drain|a burden|filthy|dirty|lazy|animals)"
)
_HARM = (
    r"(?:deported|gassed|sterili[sz]ed|shot|banned|wiped out|sent back|removed|exterminated|"
    r"locked up|castrated|put down|rounded up|kicked out|thrown out|hanged|burned|burnt)"
)
_COUNTRIES = (
    r"(?:africa|pakistan|india|poland|romania|bulgaria|bangladesh|china|syria|afghanistan|"
    r"iraq|iran|somalia|albania|nigeria|jamaica|turkey|eastern europe|the middle east|"
    r"ireland|israel|mexico)"
)
_PLACE = (
    r"(?:country|countries|land|home country|homeland|jungle|cave|desert|village|planet|"
    + _COUNTRIES
    + ")"
)

PHRASES: tuple[Phrase, ...] = (
    Phrase(
        "dehumanising",
        rf"\b{GROUPS}(?:\s+[a-z',]+){{0,4}}?\s+(?:are|r|is|=)\s+(?:all\s+|just\s+|"
        r"nothing but\s+|nothing more than\s+|basically\s+|literally\s+|such\s+|like\s+|"
        r"no better than\s+)?"
        rf"(?:a\s+bunch\s+of\s+|a\s+load\s+of\s+|a\s+pack\s+of\s+)?{_DEHUMANISING}\b",
    ),
    Phrase(
        "call_to_harm",
        rf"\b{GROUPS}\s+(?:should|need to|needs to|must|ought to)\s+(?:all\s+)?be\s+{_HARM}\b",
    ),
    Phrase(
        "call_to_harm",
        rf"\b(?:deport|gas|exterminate|wipe out|eradicate|round up|kick out|throw out|ban|"
        rf"sterili[sz]e|shoot|hang)\s+(?:all\s+)?(?:the\s+|these\s+|those\s+)?{GROUPS}\b",
    ),
    Phrase(
        "exclusion",
        rf"\bno more {GROUPS}\b|\b{GROUPS}\s+(?:out|go home|not welcome|aren'?t welcome|"
        rf"are not welcome|get out)\b|\bsend (?:the\s+|these\s+|those\s+)?{GROUPS}\s+"
        rf"(?:all\s+)?(?:back|home)\b",
        -1,
    ),
    Phrase(
        "go_back",
        rf"\bgo(?:\s+back|\s+home)\s+to\s+(?:your|their|his|her|ur)\s+(?:own\s+)?{_PLACE}\b|"
        r"\bgo\s+back\s+(?:to\s+)?where\s+(?:you|they|u|he|she)\s+(?:came|come)\s+from\b|"
        r"\bsend\s+(?:them|'?em|the lot)\s+(?:all\s+)?back\s+(?:home|to where|where they|"
        r"to their|to " + _PLACE + r")\b",
    ),
    Phrase("send_back_bare", r"\bsend\s+(?:them|'?em|the lot)\s+(?:all\s+)?back\b"),
    Phrase(
        "exclusion",
        rf"\b(?:don'?t|do not|dont|doesn'?t)\s+want\s+(?:any\s+)?(?:more\s+)?(?:of\s+)?"
        rf"(?:the(?:se|m)?\s+)?{GROUPS}\b|\b{GROUPS}\s+(?:shouldn'?t|should not|should never)\s+"
        rf"be\s+allowed\b|\b{GROUPS}(?:\s+[a-z',]+){{0,6}}?\s+(?:are\s+|they'?re\s+)?"
        r"(?:taking\s+over|invading|swarming|flooding\s+in|breeding)\b",
        -1,
    ),
    Phrase(
        "go_back",
        rf"(?:^|[.!?,;:]\s*|\b(?:should|must|can|could|just|all|and|then|so)\s+)go\s+"
        rf"(?:back|home)\s+to\s+{_COUNTRIES}\b|\blearn\s+(?:english|the\s+language)"
        r"\s+or\s+(?:go\s+(?:home|back)|leave|get\s+out|f[a-z*]*\s+off)\b|"
        # Mocking someone's English and telling them to go home, in one breath.
        r"\b(?:can'?t|cannot|doesn'?t|don'?t)\s+(?:even\s+)?speak\s+(?:proper\s+|decent\s+|"
        r"any\s+|good\s+)?english\b[^.!?]{0,60}?\bgo\s+(?:back\s+)?home\b",
    ),
    Phrase(
        "trope",
        r"\b(?:the\s+)?(?:jews|zionists|rothschilds)\s+(?:own|control|run|are\s+behind|"
        r"are\s+pulling)\b|\b(?:men|blokes|fellas)\s+in\s+(?:dresses|frocks|skirts|wigs)\b|"
        r"\btrans(?:gender)?\s+(?:nonsense|madness|agenda|ideology\s+is|cult)\b|"
        r"\bgreat\s+replacement\b",
        -1,
    ),
)
_GROUP_MENTION = Pattern(rf"\b{GROUPS}\b")

REPORTED_BEFORE = re.compile(
    r"\b(?:called|calling|shouted|shouting|yelled|yelling|screamed|screaming|said|saying|"
    r"sprayed|wrote|graffiti)\s+(?:at\s+)?(?:me|us|my\s+\w+|our\s+\w+|him|her|them)\b"
    r"|\b(?:the\s+(?:word|term|slur)|words?\s+like|n-word|language\s+like)\b",
    re.IGNORECASE,
)
CONDEMNED = re.compile(
    r"\b(?:not\s+(?:ok|okay|acceptable|on|alright)|never\s+(?:ok|okay|acceptable)|"
    r"isn'?t\s+(?:ok|okay|acceptable|on)|unacceptable|don'?t\s+call|stop\s+calling|"
    r"shouldn'?t\s+(?:call|say)|no\s+place\s+for|not\s+tolerate|won'?t\s+tolerate|"
    r"(?:racist|homophobic|transphobic|hate)\s+(?:abuse|crime|incident)|reported\s+(?:it|them|"
    r"him|her|this))\b",
    re.IGNORECASE,
)
_QUOTES = "\"'“”‘’«»`"
CHECKS = ("slurs", "dehumanising")
COUNTER_SPEECH = ("drop", "grade")


@lru_cache(maxsize=1)
def slur_groups() -> dict[str, list[str]]:
    """Slurs by protected characteristic, from ``data/hate_slurs.txt``."""
    groups: dict[str, list[str]] = {}
    current = "other"
    for line in data_text("hate_slurs.txt").splitlines():
        stripped = line.split("#", 1)[0].strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1]
        elif stripped:
            groups.setdefault(current, []).extend(read_list(stripped))
    return groups


# Slurs of ``data/hate_slurs.txt`` that the training rows show are mostly used without hate
# (see ``learned.implied.without_hate_findings_the_model_does_not_share`` for the counts).
LOOSE_SLURS = word_set(
    "nigga niggas niggaz nigguh retard retards retarded faggot faggots homo homos"
)


@lru_cache(maxsize=1)
def _loose_slur_phrases() -> PhraseSet:
    alternatives = sorted(
        {pattern for word in sorted(LOOSE_SLURS) for pattern in entry_patterns(word)},
        key=len,
        reverse=True,
    )
    return PhraseSet([Phrase("loose_slur", "(?:" + "|".join(alternatives) + ")")])


def only_loose_slurs(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether every span of ``text`` is one of ``LOOSE_SLURS`` (as the words views fold it:
    "r3tard" too)."""
    if not spans:
        return False
    phrases = _loose_slur_phrases()
    for start, end in spans:
        piece = text[start:end]
        first = len(piece) - len(piece.lstrip())
        last = len(piece.rstrip())
        if not any(f.start <= first and f.end >= last for f in phrases.find(Document(piece))):
            return False
    return True


def _slur_phrases() -> list[Phrase]:
    phrases = []
    for group, words in slur_groups().items():
        alternatives = sorted(
            {pattern for word in words for pattern in entry_patterns(word)}, key=len, reverse=True
        )
        phrases.append(Phrase(f"slur_{group}", "(?:" + "|".join(alternatives) + ")"))
    return phrases


def is_quoted(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip()
    after = text[end : end + 3].lstrip()
    return bool(before) and bool(after) and before[-1] in _QUOTES and after[0] in _QUOTES


def reported_or_quoted(text: str, start: int, end: int) -> bool:
    """Whether a finding reads as quoted, reported or condemned (see the module docstring)."""
    if is_quoted(text, start, end):
        return True
    before = text[max(0, start - 60) : start]
    around = text[max(0, start - 80) : end + 80]
    return bool(REPORTED_BEFORE.search(before) or CONDEMNED.search(around))


class HateMatcher:
    """Slurs and dehumanising patterns, with the counter-speech heuristic applied."""

    def __init__(self, checks: tuple[str, ...], counter_speech: str = "drop") -> None:
        self.drop_counter_speech = counter_speech == "drop"
        phrases: list[Phrase] = []
        if "slurs" in checks:
            phrases.extend(_slur_phrases())
        if "dehumanising" in checks:
            phrases.extend(PHRASES)
        self.phrases = PhraseSet(phrases)
        self.gates = (self.phrases.gate,)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Findings, each graded down if it reads as a quotation or a report."""
        findings = []
        innocent: list[tuple[int, int]] | None = None
        for finding in self.phrases.find(doc):
            if finding.detector.startswith("slur_"):
                # A dish or a place ("faggots and peas", "Penistone") is not a slur.
                if innocent is None:
                    innocent = innocent_phrases().spans(doc.words)
                if any(s <= finding.start and finding.end <= e for s, e in innocent):
                    continue
            if finding.detector == "send_back_bare":
                if not any(_GROUP_MENTION.search(view.target) for view in doc.words):
                    continue
                finding = Finding(finding.start, finding.end, "go_back", finding.severity_delta)
            if reported_or_quoted(doc.original, finding.start, finding.end):
                if self.drop_counter_speech:
                    continue
                finding = Finding(
                    finding.start, finding.end, "reported_or_quoted", finding.severity_delta - 2
                )
            findings.append(finding)
        return findings


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> HateMatcher:
    """A hate matcher from a rule's parameters."""
    return HateMatcher(tuple(params.get("checks", CHECKS)), params.get("counter_speech", "drop"))


DETECTOR = DetectorType(
    name="hate",
    description="Slurs and dehumanising language about protected characteristics.",
    params={"checks": is_subset(*CHECKS), "counter_speech": is_choice(*COUNTER_SPEECH)},
    build=build,
)
