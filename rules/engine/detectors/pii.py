"""The personal-data detector as a rule: adapts ``personal_data.find_personal_data``.

The detector itself (``personal_data.py``) is written and owned separately; this module only
turns its hits into findings, labelled with the kind of data (``phone``, ``email``,
``postcode``, ``ni_number``, ``nhs_number``, ``payment_card``, ``bank_account``, ``iban``,
``address``). A rule may narrow the kinds with ``params["kinds"]``; the organisation settings
(including ``own_contacts``, which are not personal data) are passed through.

A phone number or email address in an advert (a price per hour or "from £", "free quote",
"fully insured", "we buy any car", "no win no fee") is the advertiser's own business contact,
not anyone's private information: the policy's concern there is spam, which its own rules and
the learned stage judge. So is a number a business or service publishes: the one on its van,
sign or website, its switchboard, helpline or advice line, the number to book, order or
pre-order on, beside its opening hours ("we're open", "open daily") or called its business
number, unless the comment says whose it is ("my number", "ring me", "her mobile"). Such hits
are dropped; every other kind (an address, a card) stays. So is an "email" spelt out with "at"
whose name part is a sum, a date or a time ("claim your £150 at refunds.example.com", "before
the 30th at example.uk", "within 48hrs at example.info"): that is a web address after a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import DetectorType, Gate, is_subset
from rules.engine.detectors.personal_data import KINDS, find_personal_data
from rules.engine.detectors.uk_formats import EMAIL_CUE
from rules.engine.document import Document
from rules.engine.scan import Pattern, Target
from rules.engine.types import Context, Finding

# The detector's own early exit, in RE2: it finds nothing without a decimal digit of any
# script (it folds them all to ASCII) or an email cue. It runs on every text, so it is one RE2
# pass rather than Python's ``re``. RE2's ``\b`` is ASCII-only; beside the pattern's ASCII
# letters it can only see more word boundaries than Python's, so no text the detector would
# look at is skipped.
_DIGIT_OR_EMAIL_CUE = Pattern(r"\p{Nd}|" + EMAIL_CUE.pattern, case_insensitive=True)


ADVERT = re.compile(
    r"\bfrom\s+£\s?\d|£££|£\s?\d[\d,.]*\s*(?:/\s*|an?\s+|per\s+)(?:hr|hour|load|day|week|"
    r"month|night|person|head|room)\b|\b(?:earn|earned|made|make)\s+£\s?\d|"
    r"\b(?:cheap(?:est|er)?\s+(?:\w+\s+){0,2}(?:lessons?|hire|prices?|rates?|deals?|"
    r"repairs?|clearance|removals?)|free\s+(?:quotes?|survey|estimates?|delivery|consultation|"
    r"valuation)|fully\s+(?:insured|licensed)|licensed\s+waste|same[- ]day\s+(?:service|"
    r"delivery|payout|collection)|no\s+win,?\s+no\s+fee|bad\s+credit|for\s+sale|we\s+buy|"
    r"0%\s+finance|special\s+offer|hot\s+deal|competitive\s+prices|call\s+now|"
    r"pensioner\s+discounts?|approved\s+installer)\b",
    re.IGNORECASE,
)
PUBLISHED = re.compile(
    r"\bnumber(?:'s|’s|\s+is)?\s+on\s+(?:the|their|his|her|its)\s+(?:van|sign|website|site|"
    r"page|card|leaflet|shopfront|door)\b|\b(?:switchboard|helpline|help\s+line|advice\s+line|"
    r"hotline|box\s+office|booking\s+line|enquiry\s+line|enquiries\s+line)\b|"
    r"\bto\s+(?:book|pre-?order|order|reserve)\b|\bfor\s+(?:bookings|orders|reservations|"
    r"referrals)\b|\b(?:orders?|bookings?)\s+(?:on|to|via)\b|\bwe(?:'re|’re|\s+are)\s+open\b|"
    r"\bopen\s+(?:daily|till|until|from|every|7\s+days|this\s+weekend|christmas|boxing|"
    r"(?:mon|tues?|wed|thu|thurs|fri|sat|sun)(?:day)?s?\b)|\b(?:business|office|shop|surgery|"
    r"practice|caf[eé]|pub|garage|bakery|salon)(?:'s|’s)?\s+(?:number|line|phone)\b",
    re.IGNORECASE,
)
# Words that say a number is a person's own, whatever else the comment says about it.
OWNED = re.compile(
    r"\b(?:my|his|her)\s+(?:own\s+|personal\s+|home\s+)?(?:number|mobile|phone|landline|"
    r"email|e-mail)\b|\b(?:ring|call|text|phone|email|e-mail|message|whatsapp)\s+me\b",
    re.IGNORECASE,
)
ADVERTISED_KINDS = frozenset({"phone", "email"})
_NUMBER_AT = re.compile(
    r"\d[\d,.]*(?:st|nd|rd|th|h|hrs?|hours?|am|pm|mins?|days?)?\s+at\s", re.IGNORECASE
)


def is_business_contact(text: str) -> bool:
    """Whether the text's phone numbers and emails are an advertiser's, a business's or a
    service's own (see the module's docstring)."""
    return bool(ADVERT.search(text)) or (
        PUBLISHED.search(text) is not None and OWNED.search(text) is None
    )


class PersonalDataMatcher:
    """Calls the personal-data detector on the original text."""

    gates: tuple[Gate, ...] = ()

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """One finding per piece of personal data."""
        # Checked on the folded text and the original, before the detector folds it itself.
        if not (
            _DIGIT_OR_EMAIL_CUE.search(doc.plain.target)
            or _DIGIT_OR_EMAIL_CUE.search(Target(doc.original))
        ):
            return []
        text = doc.original
        hits = [
            hit
            for hit in find_personal_data(text, self.settings)
            if not (hit.kind == "email" and _NUMBER_AT.match(text, hit.start))
        ]
        if any(hit.kind in ADVERTISED_KINDS for hit in hits) and is_business_contact(text):
            hits = [hit for hit in hits if hit.kind not in ADVERTISED_KINDS]
        return [Finding(hit.start, hit.end, hit.kind) for hit in hits]


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> PersonalDataMatcher:
    """A personal-data matcher; ``params["kinds"]`` narrows the kinds looked for."""
    merged = dict(settings)
    if "kinds" in params:
        merged["kinds"] = list(params["kinds"])
    return PersonalDataMatcher(merged)


DETECTOR = DetectorType(
    name="personal_data",
    description="Phone numbers, emails, postcodes, NI/NHS numbers, cards, bank details, addresses.",
    params={"kinds": is_subset(*KINDS)},
    build=build,
)
