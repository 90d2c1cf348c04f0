"""Finds UK personal data in comment text so the console can hide and redact it.

Policies forbid posting "other people's private information (such as home phone number and
address)"; this detector finds phone numbers, email addresses, postcodes, National Insurance and NHS
numbers, payment cards, sort codes with account numbers, IBANs and street addresses.

How it works, and why:

* The text is folded for detection only: Unicode NFKC (fullwidth digits, the fullwidth @), digits of
  any script to ASCII, dashes to "-", and zero-width, format and combining characters dropped. Every
  folded character remembers the original character it came from, so each hit's span is an offset
  into the text exactly as received, ready for redaction.
* Everything except email needs a digit, so a comment with no digit and no hint of an address
  (@, "dot", "[at]", "at gmail") costs two regex searches and nothing more.
* Numbers are found as runs of digits with separators (spaces, dots, dashes, slashes, brackets);
  each run is then read as a payment card (Luhn and a scheme prefix), a phone number
  (phonenumbers, region GB), or an NHS number (mod 11), in that order, each claiming its digits.
* Time is bounded on hostile input: no regex here can backtrack without limit, and the expensive
  checks (the phone-number library above all) have a per-call budget; past it, a text of
  thousands of numbers is still scanned, by cheaper rules.

Overlaps: a street address followed by its town and postcode is one "address" hit spanning both;
otherwise the higher-priority kind wins (see ``_PRIORITY``) and the other is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .addresses import PUBLIC_ADDRESSES, addresses_before_postcodes, merged, street_addresses
from .personal_numbers import (
    PHONE_MATCHER_BUDGET,
    PHONE_PARSE_BUDGET,
    WINDOW_CHECK_BUDGET,
    NumberScan,
)
from .text_folding import fold
from .uk_formats import (
    ACCOUNT_NUMBER,
    ALPHANUMERIC,
    EMAIL,
    EMAIL_CUE,
    IBAN,
    IBAN_LENGTHS,
    LABELLED_ACCOUNT_NUMBER,
    LABELLED_SORT_CODE,
    NI_CONTEXT,
    NI_NUMBER,
    ORDINAL,
    POSTCODE,
    SORT_CODE,
    SORT_CODE_THEN_ACCOUNT,
    TWO_LETTER_WORDS,
    email_end,
    email_key,
    is_own_address,
    is_own_email,
    is_valid_iban,
    is_valid_ni_prefix,
    is_valid_postcode,
    letters_and_digits,
    phone_key,
    phone_keys,
)

KINDS: tuple[str, ...] = (
    "phone",
    "email",
    "postcode",
    "ni_number",
    "nhs_number",
    "payment_card",
    "bank_account",
    "iban",
    "address",
)

# When two hits overlap, the lower number wins. Strongly checked formats come first; a postcode
# is last because an address hit that contains it already covers it.
_PRIORITY = {
    "email": 0,
    "iban": 1,
    "payment_card": 2,
    "ni_number": 3,
    "phone": 4,
    "nhs_number": 5,
    "bank_account": 6,
    "address": 7,
    "postcode": 8,
}


@dataclass(frozen=True)
class PersonalDataHit:
    """One piece of personal data: a span of the original text and what kind of data it is."""

    start: int  # offsets into the ORIGINAL text passed in
    end: int
    kind: str  # one of KINDS


def find_personal_data(
    text: str, settings: Mapping[str, Any] | None = None
) -> list[PersonalDataHit]:
    """Return the personal data found in ``text``, sorted by start, without overlaps.

    ``settings`` (all keys optional):

    * ``own_contacts``: the organisation's own published contact details, which are not personal
      data: ``{"phones": [...], "emails": [...], "postcodes": [...], "addresses": [...],
      "domains": [...]}``. Any email at an own domain (or its subdomains) is treated as the
      organisation's, whether a role mailbox or a named officer's work address.
    * ``allow_list``: other public contact details the organisation lists (venues, partners,
      local services), in the same shape: never personal data either.

    Public numbers are never personal data, whatever the settings: the helplines in
    ``HELPLINES`` and every UK non-geographic number (03 numbers of public bodies and
    charities, 08 freephone and business numbers, 09 premium rate), since a person's own
    number is a mobile or a geographic landline. Short codes (999, 101, 111, 116 123) are too
    short to be read as phone numbers at all.
    * ``kinds``: only look for these kinds (see ``KINDS``).
    """
    wanted = _wanted_kinds(settings)
    if not wanted or not text:
        return []
    folded = fold(text)
    scan = _Scan(folded.text, wanted)
    has_digit = _ANY_DIGIT.search(folded.text) is not None
    if "email" in wanted and EMAIL_CUE.search(folded.text):
        scan.find_emails()
    if has_digit:
        if wanted & {"payment_card", "phone", "nhs_number"}:
            scan.find_numbers()
        if "bank_account" in wanted:
            scan.find_bank_accounts()
        if "iban" in wanted:
            scan.find_ibans()
        if "ni_number" in wanted:
            scan.find_ni_numbers()
        if wanted & {"postcode", "address"}:
            scan.find_postcodes()
        if "address" in wanted:
            scan.find_addresses()
    own = _OwnContacts.from_settings(settings)
    candidates = [
        candidate
        for candidate in scan.candidates
        if candidate.kind in wanted
        and not own.covers(candidate, folded.text)
        and not _is_public(candidate, folded.text)
    ]
    hits = []
    for candidate in _without_overlaps(candidates):
        start, end = folded.original_span(candidate.start, candidate.end)
        hits.append(PersonalDataHit(start, end, candidate.kind))
    return hits


def _wanted_kinds(settings: Mapping[str, Any] | None) -> frozenset[str]:
    kinds = settings.get("kinds") if isinstance(settings, Mapping) else None
    if kinds is None:
        return frozenset(KINDS)
    if isinstance(kinds, str):
        kinds = [kinds]
    try:
        return frozenset(str(kind) for kind in kinds) & frozenset(KINDS)
    except TypeError:
        return frozenset(KINDS)


# --- candidates and overlap resolution -----------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int  # offsets into the folded text
    end: int
    kind: str


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    ranked = sorted(candidates, key=lambda c: (_PRIORITY[c.kind], -(c.end - c.start), c.start))
    kept_starts: list[int] = []
    kept: list[_Candidate] = []
    for candidate in ranked:
        index = bisect_right(kept_starts, candidate.start)
        if index and kept[index - 1].end > candidate.start:
            continue
        if index < len(kept) and kept[index].start < candidate.end:
            continue
        kept_starts.insert(index, candidate.start)
        kept.insert(index, candidate)
    return kept


# --- the scan ------------------------------------------------------------------------------------

_ANY_DIGIT = re.compile(r"[0-9]")
_BANK_PAIR_DISTANCE = 60
_CUE_WINDOW = 30
_MAX_PLACE_TOKENS = 10
_MAX_PLACE_CHARACTERS = 160


@dataclass
class _Scan(NumberScan):
    """One call's detection state: the folded text, what is found so far, and budgets."""

    text: str
    wanted: frozenset[str]
    candidates: list[_Candidate] = field(default_factory=list)
    postcodes: list[_Candidate] = field(default_factory=list)
    phone_matcher_budget: int = PHONE_MATCHER_BUDGET
    phone_parse_budget: int = PHONE_PARSE_BUDGET
    window_budgets: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("card", "phone", "nhs"), WINDOW_CHECK_BUDGET)
    )

    def add(self, start: int, end: int, kind: str) -> None:
        self.candidates.append(_Candidate(start, end, kind))

    # emails ----------------------------------------------------------------------------------

    def find_emails(self) -> None:
        position = 0
        while (match := EMAIL.search(self.text, position)) is not None:
            end = email_end(match)
            if end is not None:
                self.add(match.start(), end, "email")
                position = end
            else:
                # A false start ("me at jane.doe", words read as an obfuscated address) must
                # not swallow a real address after it ("…@gmail.com"): look again after "at".
                position = match.end("at")

    # bank details -------------------------------------------------------------------------------

    def find_bank_accounts(self) -> None:
        labelled_sorts = [m.span("value") for m in LABELLED_SORT_CODE.finditer(self.text)]
        sorts = labelled_sorts + [m.span() for m in SORT_CODE.finditer(self.text)]
        labelled_accounts = [m.span("value") for m in LABELLED_ACCOUNT_NUMBER.finditer(self.text)]
        accounts = [m.span() for m in ACCOUNT_NUMBER.finditer(self.text)]
        found: set[tuple[int, int]] = set(labelled_sorts) | set(labelled_accounts)
        for pair in SORT_CODE_THEN_ACCOUNT.finditer(self.text):
            found.update((pair.span("sort"), pair.span("account")))
        if sorts and accounts:
            # Accounts are in text order: pair each sort code with the accounts close to it.
            account_starts = [start for start, _ in accounts]
            for sort_start, sort_end in sorts:
                low = bisect_right(account_starts, sort_start - _BANK_PAIR_DISTANCE - 9)
                for account_start, account_end in accounts[low:]:
                    if account_start > sort_end + _BANK_PAIR_DISTANCE:
                        break
                    if account_end < sort_start - _BANK_PAIR_DISTANCE:
                        continue
                    if account_start < sort_end and account_end > sort_start:
                        continue  # the same digits read two ways
                    found.add((sort_start, sort_end))
                    found.add((account_start, account_end))
        for start, end in found:
            self.add(start, end, "bank_account")

    # IBAN -----------------------------------------------------------------------------------

    def find_ibans(self) -> None:
        for match in IBAN.finditer(self.text):
            characters = list(ALPHANUMERIC.finditer(self.text, match.start(), match.end()))
            country = (characters[0].group() + characters[1].group()).upper()
            length = IBAN_LENGTHS.get(country)
            if length is None or len(characters) < length:
                continue
            compact = "".join(c.group() for c in characters[:length]).upper()
            if is_valid_iban(compact):
                self.add(match.start(), characters[length - 1].end(), "iban")

    # National Insurance numbers -------------------------------------------------------------

    def find_ni_numbers(self) -> None:
        for match in NI_NUMBER.finditer(self.text):
            prefix = (match.group("first") + match.group("second")).upper()
            suffix = match.group("suffix")
            written_as_words = (
                match.group("first").islower()
                and prefix in TWO_LETTER_WORDS
                and (suffix is None or suffix.islower())
            )
            if not is_valid_ni_prefix(prefix) or suffix is None or written_as_words:
                # "AB123456" alone is as likely an order code, and "by 150000 a year" is a
                # sentence: these need the words "NI" or "national insurance" before them.
                # So does a prefix HMRC never issues ("QQ", its specimen): given as someone's
                # NI number it is disclosed all the same.
                before = self.text[max(0, match.start() - 40) : match.start()]
                if not NI_CONTEXT.search(before):
                    continue
            self.add(match.start(), match.end(), "ni_number")

    # postcodes and addresses ----------------------------------------------------------------

    def find_postcodes(self) -> None:
        for match in POSTCODE.finditer(self.text):
            outward, inward = match.group("outward"), match.group("inward")
            if not is_valid_postcode(outward.upper(), inward.upper()):
                continue
            if inward.islower() and outward.islower() and ORDINAL.fullmatch(inward):
                continue  # "b4 2nd" is "before the second", not Birmingham
            if match.group(0).isalnum() and not match.group(0).isupper():
                continue  # run together, a postcode is in capitals; "bl00dy" is a swear word
            postcode = _Candidate(match.start(), match.end(), "postcode")
            self.postcodes.append(postcode)
            self.candidates.append(postcode)

    def find_addresses(self) -> None:
        postcodes = [(postcode.start, postcode.end) for postcode in self.postcodes]
        addresses = [
            *street_addresses(self.text),
            *addresses_before_postcodes(self.text, postcodes),
        ]
        for start, end in merged(addresses):
            compact = letters_and_digits(self.text[start:end])
            if compact.startswith(PUBLIC_ADDRESSES):
                # Famous public addresses are not anyone's private information.
                self.candidates = [
                    candidate
                    for candidate in self.candidates
                    if not (start <= candidate.start and candidate.end <= end)
                ]
                continue
            self.add(start, end, "address")


# --- public numbers and the organisation's own published contact details -------------------------

# Well-known public helplines (their numbers are also non-geographic, except Samaritans' email).
HELPLINES: dict[str, tuple[str, ...]] = {
    "phones": (
        "116 123",  # Samaritans
        "0800 555 111",  # Crimestoppers
        "0345 988 1188",  # Floodline
        "0800 111 999",  # National Gas Emergency
        "0800 1111",  # Childline
        "0808 800 5000",  # NSPCC
        "0808 2000 247",  # National Domestic Abuse Helpline
        "0300 123 2040",  # Action Fraud
    ),
    "emails": ("jo@samaritans.org",),
}
_HELPLINE_EMAILS = frozenset(HELPLINES["emails"])
# E.164 prefixes of UK non-geographic numbers: 03, 08 and 09 (Ofcom's numbering plan).
_NON_GEOGRAPHIC = ("+443", "+448", "+449")


def _is_public(candidate: _Candidate, text: str) -> bool:
    """A helpline, or a non-geographic UK number: never a person's own contact details."""
    value = text[candidate.start : candidate.end]
    if candidate.kind == "phone":
        key = phone_key(value)
        return key.startswith(_NON_GEOGRAPHIC) or key in phone_keys(HELPLINES["phones"])
    if candidate.kind == "email":
        return email_key(value) in _HELPLINE_EMAILS
    return False


@dataclass(frozen=True)
class _OwnContacts:
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> _OwnContacts:
        """The own contacts and the allow-list together (both are the body's to publish)."""
        blocks = [
            block
            for block in (
                settings.get("own_contacts") if isinstance(settings, Mapping) else None,
                settings.get("allow_list") if isinstance(settings, Mapping) else None,
            )
            if isinstance(block, Mapping)
        ]
        if not blocks:
            return _NO_OWN_CONTACTS

        def values(key: str) -> tuple[str, ...]:
            found: list[str] = []
            for block in blocks:
                listed = block.get(key)
                if isinstance(listed, str):
                    listed = [listed]
                if isinstance(listed, Iterable):
                    found.extend(str(value) for value in listed if value is not None)
            return tuple(found)

        return cls(
            values("phones"),
            values("emails"),
            values("postcodes"),
            values("addresses"),
            values("domains"),
        )

    def covers(self, candidate: _Candidate, text: str) -> bool:
        """Whether a candidate is one of the organisation's own published contact details."""
        value = text[candidate.start : candidate.end]
        if candidate.kind == "phone" and self.phones:
            return phone_key(value) in phone_keys(self.phones)
        if candidate.kind == "email" and (self.emails or self.domains):
            return is_own_email(value, self.emails, self.domains)
        if candidate.kind == "postcode" and self.postcodes:
            return letters_and_digits(value) in {
                letters_and_digits(postcode) for postcode in self.postcodes
            }
        if candidate.kind == "address" and (self.addresses or self.postcodes):
            return is_own_address(letters_and_digits(value), self.addresses, self.postcodes)
        return False


_NO_OWN_CONTACTS = _OwnContacts()
