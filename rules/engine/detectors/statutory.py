"""Requests the council must answer by law, routed with a deadline clock.

* ``foi`` (category foi_request, route foi): Freedom of Information Act and Environmental
  Information Regulations requests, 20 working days. A question alone is not an FOI request
  (the policy notes people "pose questions to make a point"), so it needs the Act invoked
  ("under the Freedom of Information Act"), a request named as one ("this is an FOI
  request", "FOI: how much…", "… FOI please"), or request wording ("I request the following
  information", "please provide copies of all emails"). Naming the Act or talking about FOI
  requests in general ("FOI requests cost a fortune") is not a request, and asking for
  information about oneself is subject access.
* ``subject_access`` (subject_access_request, route subject_access): a person asking for the
  personal data held about them (or their child), one month: "subject access request", "all
  the personal data you hold about me", "everything the council has on me", "a copy of my
  case notes", "under GDPR … a copy of my data", "my rights under data protection".
* ``complaint`` (complaint, route complaints): a formal complaint, "I want to make a formal
  complaint", "I wish to complain", "stage 2 complaint", the Ombudsman. Talking *about*
  complaints ("people complain too much", "no complaints here") is not one.

Each rule takes one ``kind``, so each routes to its own team.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import DetectorType, Phrase, PhraseSet, is_choice
from rules.engine.document import Document
from rules.engine.scan import Pattern
from rules.engine.types import Context, Finding

_I = r"\b(?:i|we)\s*(?:'d|would|wish|want|am|'m|hereby|formally|are|'re)?\s*"
_INFO = r"(?:information|info|data|details|documents?|records?|figures|copies|correspondence)"
_FOI = (
    r"(?:foi|foia|eir|freedom\s+of\s+info(?:rmation)?(?:\s+act)?|"
    r"environmental\s+information\s+regulations?)"
)
_ME = r"(?:me|myself|my\s+(?:family|children|kids|son|daughter|child|husband|wife|late\s+\w+))"

FOI: tuple[Phrase, ...] = (
    # Invoking the Act: "under the Freedom of Information Act", "under FOI".
    Phrase("foi_act", rf"\b(?:under|using|via|through)\s+(?:an?\s+|the\s+)?{_FOI}\b"),
    # A request named as one (singular: "FOI requests cost a fortune" is talk about them).
    Phrase(
        "foi_request",
        rf"\b{_FOI}\s*(?:act\s+)?(?:request|application|enquiry)\b|"
        rf"\b(?:submit|make|making|lodge|raise|file|send|sending|treat\s+this\s+as|consider\s+"
        rf"this|this\s+is)\s+(?:an?\s+|my\s+)?{_FOI}\b|"
        r"\b(?:request\s+for\s+information|information\s+request)\b",
    ),
    # FOI used as a label: "FOI: how much…", "… FOI please.", "EIR – please provide…".
    Phrase(
        "foi_request",
        rf"(?:^|[.!?\n]\s*){_FOI}\s*(?:request\s*)?[:\-–—]|\b(?:foi|eir)\s+(?:please|pls)\b|"
        r"\btreat\s+(?:this\s+|it\s+)?as\s+(?:an?\s+)?(?:foi|eir|freedom\s+of\s+information)\b|"
        r"[.?!]\s*(?:foi|eir)\s*[.!]?\s*$",
    ),
    Phrase(
        "information_request",
        _I + r"(?:to\s+)?(?:request|requesting|ask for|asking for)\s+(?:the\s+following\s+|"
        r"a\s+copy\s+of\s+|copies\s+of\s+|disclosure\s+of\s+|all\s+)" + _INFO + r"?",
    ),
    Phrase(
        "information_request",
        r"\bplease\s+(?:provide|send|disclose|supply)\s+(?:me\s+|us\s+)?(?:with\s+)?"
        r"(?:the\s+following\s+(?:information|data|details)|copies\s+of\s+(?:all\s+)?|"
        r"all\s+(?:emails|correspondence|documents|records|minutes|reports|information))",
    ),
)
SUBJECT_ACCESS: tuple[Phrase, ...] = (
    Phrase("subject_access_request", r"\bsubject\s+access\s+requests?\b|\bdsar\b"),
    Phrase(
        "subject_access_request",
        r"\b(?:submit|make|making|lodge|raise|file|send|this\s+is|treat\s+this\s+as)\s+"
        r"(?:an?\s+)?sar\b|[\-–—:]\s*sar\b|\bsar\s*[.!]?\s*$",
    ),
    Phrase(
        "my_data",
        r"\b(?:all|any|a\s+copy\s+of|copies\s+of|every\s+bit\s+of|everything|anything|see|access"
        r"\s+to|what)\b[^.!?\n]{0,90}?\b(?:data|information|info|records?|notes|files?|emails?|"
        r"footage|reports?|wrote|written|said|shared|holds?|held|have|has|got|keeps?|kept|"
        r"stores?|recorded|everything)\b[^.!?\n]{0,40}?\b(?:about|on|regarding|relating\s+to|"
        rf"concerning)\s+{_ME}\b",
    ),
    Phrase(
        "my_data",
        r"\b(?:a\s+)?cop(?:y|ies)\s+of\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:my|our)\s+(?:personal\s+)?"
        r"(?:data|information|records|file|files|case\s+notes|notes)\b|\b(?:access\s+to|requesting|"
        r"request|see|want)\s+(?:all\s+)?(?:of\s+)?my\s+(?:personal\s+)?(?:data|information|records)"
        r"\b|\bmy\s+data\s+under\b",
    ),
    Phrase(
        "my_data",
        r"\b(?:i'?m|i\s+am)\s+(?:legally\s+)?entitled\s+to\s+(?:see\s+|a\s+copy\s+of\s+|"
        r"copies\s+of\s+)?(?:it|this|them|my|all|everything|the\s+(?:footage|records|notes|"
        r"data|information|files|report))\b",
    ),
    Phrase(
        "data_protection_right",
        r"\b(?:under|using|exercising)\s+(?:my\s+rights?\s+under\s+)?(?:the\s+)?(?:uk\s+)?"
        r"(?:gdpr|data\s+protection\s+(?:act|law)(?:\s+2018)?|dpa(?:\s+2018)?)\b[^.!?\n]{0,80}"
        r"\b(?:request|copy|copies|access|see|view|disclose|entitled|provide)\b|"
        r"\bright\s+of\s+access\b|\barticle\s+15\b|\b(?:my|our)\s+rights?\s+under\s+"
        r"(?:the\s+)?(?:uk\s+)?(?:gdpr|data\s+protection)\b",
    ),
)
COMPLAINT: tuple[Phrase, ...] = (
    Phrase(
        "formal_complaint",
        _I + r"(?:to\s+|like\s+to\s+|going\s+to\s+|intend\s+to\s+)?(?:make|raise|file|submit|"
        r"lodge|log|put\s+in|making|raising|filing|submitting|lodging)\s+(?:an?\s+)?"
        r"(?:formal\s+|official\s+)?complaint\b",
    ),
    Phrase(
        "formal_complaint",
        r"\b(?:i|we)\s*(?:wish|want|would\s+like|'d\s+like|need|intend)\s+to\s+complain\b|"
        r"\b(?:i|we)\s*(?:am|'m|are|'re)\s+(?:formally\s+)?complaining\s+(?:about|to)\b|"
        r"\bcomplain(?:ing)?\s+formally\b|\bformally\s+complain|\b(?:writing|write)\s+to\s+"
        r"complain\b|\b(?:attempt|trying|tried)\s+to\s+complain\b",
    ),
    Phrase(
        "formal_complaint",
        r"\bformal\s+complaint\b|\bofficial\s+complaint\b|\bthis\s+is\s+a\s+complaint\b|"
        r"\bstage\s+(?:1|2|one|two|3|three)\s+(?:complaint|reply|response)\b|\bcomplaints?\s+"
        r"(?:procedure|process|policy|form)\b|\b(?:log|logged|register|registered|record|"
        r"recorded|escalate|escalating|escalated)\s+(?:this\s+|it\s+|my\s+|a\s+)?(?:as\s+)?"
        r"(?:an?\s+)?(?:formal\s+)?complaint\b",
    ),
    Phrase(
        "formal_complaint",
        r"\b(?:pass|forward|send|refer)\s+(?:this|it|my\s+[a-z]+)\s+(?:on\s+)?to\s+(?:your|the)\s+"
        r"complaints?\s+(?:team|department|officer|section)\b",
    ),
    Phrase(
        "ombudsman",
        r"\bombudsman\b|\blgsco\b|\b(?:escalate|escalating)\s+(?:this|my\s+complaint|"
        r"it|the\s+complaint)\b",
    ),
    Phrase(
        "formal_complaint",
        r"\b(?:how|where)\s+(?:do|can|should)\s+(?:i|we)\s+(?:make|raise|file|submit|lodge|"
        r"log|put\s+in|escalate)\s+(?:an?\s+)?(?:formal\s+)?complaint\b|\bhow\s+(?:do|can)\s+"
        r"(?:i|we)\s+complain\b",
    ),
)
KINDS: dict[str, tuple[Phrase, ...]] = {
    "foi": FOI,
    "subject_access": SUBJECT_ACCESS,
    "complaint": COMPLAINT,
}


# Asking for information about oneself is subject access, not Freedom of Information.
_ABOUT_ME = Pattern(
    rf"\b(?:about|on|regarding|relating\s+to|held\s+on)\s+{_ME}\b|\bmy\s+(?:personal\s+)?data\b"
    r"|\bsubject\s+access\b|\bsar\b"
)


class StatutoryMatcher:
    """Finds one kind of statutory request."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.phrases = PhraseSet(KINDS[kind])
        self.gates = (self.phrases.gate,)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Every request phrase of this kind."""
        findings = self.phrases.find(doc)
        if self.kind == "foi" and findings and _ABOUT_ME.search(doc.words[0].target):
            findings = [f for f in findings if f.detector not in ("information_request",)]
        return findings


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> StatutoryMatcher:
    """A statutory-request matcher for the rule's ``kind``."""
    return StatutoryMatcher(params.get("kind", "foi"))


def _check(params: Mapping[str, Any]) -> list[str]:
    return [] if "kind" in params else ["kind: give one of 'foi', 'subject_access', 'complaint'"]


DETECTOR = DetectorType(
    name="statutory",
    description="Freedom of Information / EIR, subject access and formal complaint requests.",
    params={"kind": is_choice(*KINDS)},
    build=build,
    extra_check=_check,
)
