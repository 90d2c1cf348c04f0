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
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from phonenumbers import Leniency, PhoneNumberMatcher

from .uk_formats import (
    ACCOUNT_NUMBER,
    ADDRESS_CUE_WORDS,
    ALPHANUMERIC,
    CARD_SEPARATOR,
    DIGIT_GROUP,
    DIGIT_RUN,
    EMAIL,
    EMAIL_CUE,
    HEALTH_CONTEXT,
    IBAN,
    IBAN_LENGTHS,
    LABELLED_ACCOUNT_NUMBER,
    LABELLED_SORT_CODE,
    LOWERCASE_STREET_SUFFIXES,
    NAME_WORD,
    NI_CONTEXT,
    NI_NUMBER,
    NOT_STREET_NAME_WORDS,
    ORDINAL,
    PHONE_PREFIX_BEFORE_RUN,
    PLACE_SEPARATOR,
    PLACE_TOKEN,
    POSTCODE,
    PUBLIC_ADDRESSES,
    REFERENCE_CONTEXT,
    SORT_CODE,
    SORT_CODE_THEN_ACCOUNT,
    STREET_START,
    STREET_SUFFIXES,
    TWO_LETTER_WORDS,
    address_start,
    any_grouping,
    email_end,
    email_key,
    is_card_grouping,
    is_nhs_grouping,
    is_own_address,
    is_own_email,
    is_phone_number,
    is_place_token,
    is_valid_card_number,
    is_valid_iban,
    is_valid_nhs_number,
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

# Budgets per call. Real comments use a handful of each; only a hostile megabyte reaches them.
_PHONE_MATCHER_BUDGET = 200
_PHONE_PARSE_BUDGET = 2_000
_WINDOW_CHECK_BUDGET = 200_000


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
    folded = _fold(text)
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


# --- folding: a detection copy of the text that maps back to the original ------------------------


@dataclass(frozen=True)
class _FoldedText:
    """The text as detection sees it, with each character's source span in the original."""

    text: str
    # None when the folded text is the original (the common case: no copy, no tables).
    starts: array[int] | None = None
    ends: array[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold(text: str) -> _FoldedText:
    if text.isascii():
        return _FoldedText(text)
    pieces: list[str] = []
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    copied_up_to = 0
    for match in _NON_ASCII.finditer(text):
        position = match.start()
        character = text[position]
        replacement = _fold_character(character)
        if replacement == character:
            continue
        pieces.append(text[copied_up_to:position])
        starts.extend(range(copied_up_to, position))
        ends.extend(range(copied_up_to + 1, position + 1))
        pieces.append(replacement)
        starts.extend([position] * len(replacement))
        ends.extend([position + 1] * len(replacement))
        copied_up_to = position + 1
    if not pieces:
        return _FoldedText(text)
    pieces.append(text[copied_up_to:])
    starts.extend(range(copied_up_to, len(text)))
    ends.extend(range(copied_up_to + 1, len(text) + 1))
    return _FoldedText("".join(pieces), starts, ends)


_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})


@lru_cache(maxsize=4096)
def _fold_character(character: str) -> str:
    """One character as detection sees it (may be empty, or several characters)."""
    category = unicodedata.category(character)
    if category == "Cs":  # a lone surrogate: leave it, it can be part of nothing we look for
        return character
    folded = unicodedata.normalize("NFKC", character)
    return "".join(_fold_normalised(part) for part in folded)


def _fold_normalised(character: str) -> str:
    if character.isascii():
        return character
    category = unicodedata.category(character)
    if category in _INVISIBLE_CATEGORIES:
        # Zero-width spaces and joiners, bidi overrides, soft hyphens, combining marks: all used
        # to split a number or an address so that a pattern no longer sees it.
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(character, 0))
    if category == "Pd" or character == "\u2212":
        return "-"
    if category == "Zs":
        return " "
    return character


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
class _Scan:
    """One call's detection state: the folded text, what is found so far, and budgets."""

    text: str
    wanted: frozenset[str]
    candidates: list[_Candidate] = field(default_factory=list)
    postcodes: list[_Candidate] = field(default_factory=list)
    phone_matcher_budget: int = _PHONE_MATCHER_BUDGET
    phone_parse_budget: int = _PHONE_PARSE_BUDGET
    window_budgets: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("card", "phone", "nhs"), _WINDOW_CHECK_BUDGET)
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

    # numbers: cards, phones and NHS numbers from runs of digits ------------------------------

    def find_numbers(self) -> None:
        for run in DIGIT_RUN.finditer(self.text):
            if run.end() - run.start() < 9:
                continue
            groups = [
                (group.start(), group.end())
                for group in DIGIT_GROUP.finditer(self.text, run.start(), run.end())
            ]
            if sum(end - start for start, end in groups) < 9:
                continue
            claimed = [False] * len(groups)
            prefix = PHONE_PREFIX_BEFORE_RUN.search(self.text, max(0, run.start() - 4), run.start())
            international = prefix is not None and "+" in prefix.group()
            if not international:  # "+44 ..." is a phone number, never a card or NHS number
                self._find_cards(groups, claimed)
            self._find_phones(run.start(), run.end(), groups, claimed, prefix)
            if not international:
                self._find_nhs_numbers(groups, claimed)

    def _find_cards(self, groups: list[tuple[int, int]], claimed: list[bool]) -> None:
        whole = "".join(self.text[start:end] for start, end in groups)
        if 13 <= len(whole) <= 19 and self._card_separators(groups) and is_valid_card_number(whole):
            self.add(groups[0][0], groups[-1][1], "payment_card")
            claimed[:] = [True] * len(groups)
            return

        def can_start(index: int) -> bool:
            return self.text[groups[index][0]] in "123456"

        for first, last in self._windows(
            groups, claimed, 13, 19, is_card_grouping, can_start, "card"
        ):
            window = groups[first : last + 1]
            digits = "".join(self.text[start:end] for start, end in window)
            if is_valid_card_number(digits) and self._card_separators(window):
                self.add(groups[first][0], groups[last][1], "payment_card")
                claimed[first : last + 1] = [True] * (last + 1 - first)

    def _card_separators(self, groups: list[tuple[int, int]]) -> bool:
        """Cards are written with spaces, dashes or dots between groups, never brackets or "/"."""
        return all(
            CARD_SEPARATOR.fullmatch(self.text, previous_end, start)
            for (_, previous_end), (start, _) in pairwise(groups)
        )

    def _windows(
        self,
        groups: list[tuple[int, int]],
        claimed: list[bool],
        fewest: int,
        most: int,
        grouping_ok: Callable[[list[int]], bool],
        can_start: Callable[[int], bool],
        budget: str,
    ) -> Iterator[tuple[int, int]]:
        """Windows of whole, unclaimed digit groups with fewest..most digits, longest first.

        ``can_start(index)`` rules out a starting group cheaply (a card never starts with 0) so
        that a megabyte of spaced-out digits does not become millions of checks; past the
        per-call budget no more windows are offered.
        """
        for first in range(len(groups)):
            if claimed[first] or not can_start(first):
                continue
            total = 0
            lengths: list[int] = []
            fitting: list[int] = []
            for last in range(first, len(groups)):
                if claimed[last]:
                    break
                length = groups[last][1] - groups[last][0]
                total += length
                lengths.append(length)
                if total > most:
                    break
                if total >= fewest and grouping_ok(lengths):
                    fitting.append(last)
            for last in reversed(fitting):
                if self.window_budgets[budget] <= 0:
                    return
                self.window_budgets[budget] -= 1
                if not any(claimed[first : last + 1]):
                    yield first, last

    def _find_phones(
        self,
        run_start: int,
        run_end: int,
        groups: list[tuple[int, int]],
        claimed: list[bool],
        prefix: re.Match[str] | None,
    ) -> None:
        if "phone" not in self.wanted and "nhs_number" not in self.wanted:
            return
        window_start = prefix.start() if prefix else run_start
        if not all(claimed) and self.phone_matcher_budget > 0 and run_end - run_start < 200:
            self.phone_matcher_budget -= 1
            self._match_phones(window_start, run_end, groups, claimed)
        plus_start = window_start if prefix and "+" in prefix.group() else None
        self._find_phones_by_windows(groups, claimed, plus_start)

    def _match_phones(
        self, window_start: int, window_end: int, groups: list[tuple[int, int]], claimed: list[bool]
    ) -> None:
        window = self.text[window_start:window_end]
        try:
            matches = list(PhoneNumberMatcher(window, "GB", leniency=Leniency.VALID))
        except Exception:  # the library's own parsing errors must never reach a comment
            return
        for match in matches:
            raw_digits = re.sub(r"[^0-9]", "", match.raw_string)
            written_like_a_number = match.raw_string.lstrip("( \t").startswith("+") or (
                raw_digits.startswith(("0", "44"))
            )
            start, end = window_start + match.start, window_start + match.end
            covered = [i for i, (s, e) in enumerate(groups) if s < end and e > start]
            if (
                not written_like_a_number
                or not covered
                or any(claimed[i] for i in covered)
                or not self._stands_alone(start, end)
            ):
                continue
            self.add(start, end, "phone")
            for index in covered:
                claimed[index] = True

    def _find_phones_by_windows(
        self, groups: list[tuple[int, int]], claimed: list[bool], plus_start: int | None
    ) -> None:
        """Phone numbers the matcher misses: digits spaced out, or several numbers in one run."""

        def can_start(index: int) -> bool:
            leading = self.text[groups[index][0]]
            return leading == "0" or (index == 0 and plus_start is not None) or leading == "4"

        for first, last in self._windows(groups, claimed, 9, 17, any_grouping, can_start, "phone"):
            digits = "".join(self.text[start:end] for start, end in groups[first : last + 1])
            international = plus_start is not None and first == 0
            if not is_phone_number(digits, international, self._spend_phone_parse):
                continue
            start, end = groups[first][0], groups[last][1]
            if international and plus_start is not None:
                start = plus_start
            if self._stands_alone(start, end):
                self.add(start, end, "phone")
                claimed[first : last + 1] = [True] * (last + 1 - first)

    def _spend_phone_parse(self) -> bool:
        self.phone_parse_budget -= 1
        return self.phone_parse_budget >= 0

    def _stands_alone(self, start: int, end: int) -> bool:
        """Not glued to letters: "ref07911123456" or "07911123456abc" is a code, not a number."""
        before = self.text[start - 1] if start else " "
        after = self.text[end] if end < len(self.text) else " "
        return not (before.isascii() and before.isalpha()) and not (
            after.isascii() and after.isalpha()
        )

    def _find_nhs_numbers(self, groups: list[tuple[int, int]], claimed: list[bool]) -> None:
        if "nhs_number" not in self.wanted:
            return

        def can_start(index: int) -> bool:
            # Ten digits inside a longer number are not an NHS number.
            return index == 0 or claimed[index - 1]

        for first, last in self._windows(
            groups, claimed, 10, 10, is_nhs_grouping, can_start, "nhs"
        ):
            if last + 1 < len(groups) and not claimed[last + 1]:
                continue
            digits = "".join(self.text[start:end] for start, end in groups[first : last + 1])
            start, end = groups[first][0], groups[last][1]
            if not is_valid_nhs_number(digits) or not self._stands_alone(start, end):
                continue
            before = self.text[max(0, start - 40) : start]
            if REFERENCE_CONTEXT.search(before) and not HEALTH_CONTEXT.search(before):
                continue
            self.add(start, end, "nhs_number")
            claimed[first : last + 1] = [True] * (last + 1 - first)

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
            if not is_valid_ni_prefix(prefix):
                continue
            suffix = match.group("suffix")
            written_as_words = (
                match.group("first").islower()
                and prefix in TWO_LETTER_WORDS
                and (suffix is None or suffix.islower())
            )
            if suffix is None or written_as_words:
                # "AB123456" alone is as likely an order code, and "by 150000 a year" is a
                # sentence: these need the words "NI" or "national insurance" before them.
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
            postcode = _Candidate(match.start(), match.end(), "postcode")
            self.postcodes.append(postcode)
            self.candidates.append(postcode)

    def find_addresses(self) -> None:
        addresses = [*self._street_addresses(), *self._addresses_before_postcodes()]
        for start, end in _merged(addresses):
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

    def _street_addresses(self) -> Iterable[tuple[int, int]]:
        """House number, up to three name words and a street-type word: "12 Mill Lane"."""
        for match in STREET_START.finditer(self.text):
            words: list[re.Match[str]] = []
            position = match.end()
            while len(words) < 5:
                word = NAME_WORD.match(self.text, position)
                if word is None:
                    break
                words.append(word)
                if not word.group(2):
                    break
                position = word.end()
            end = self._street_end(match, words)
            if end is not None:
                yield match.start(), end

    def _street_end(self, start: re.Match[str], words: list[re.Match[str]]) -> int | None:
        for index in range(1, len(words)):
            suffix = words[index].group(1)
            suffix_key = suffix.rstrip(".").lower()
            if suffix_key not in STREET_SUFFIXES:
                continue
            names = [word.group(1) for word in words[:index]]
            name_keys = [name.lower() for name in names]
            if any(key in NOT_STREET_NAME_WORDS for key in name_keys[1:]) or (
                name_keys[0] in NOT_STREET_NAME_WORDS and name_keys[0] != "the"
            ):
                return None
            capitalised = names[0][0].isupper()
            if not capitalised:
                if suffix_key not in LOWERCASE_STREET_SUFFIXES:
                    return None
                before = self.text[max(0, start.start() - _CUE_WINDOW) : start.start()].lower()
                if start.group("unit") is None and not ADDRESS_CUE_WORDS & set(before.split()):
                    return None
            elif not suffix[0].isupper() and suffix_key not in LOWERCASE_STREET_SUFFIXES:
                return None
            return words[index].start(1) + len(suffix)
        return None

    def _addresses_before_postcodes(self) -> Iterable[tuple[int, int]]:
        """A postcode with the street, building and town words written just before it."""
        for postcode in self.postcodes:
            tokens = self._place_tokens_before(postcode.start)
            start = address_start(tokens)
            if start is not None:
                yield start, postcode.end

    def _place_tokens_before(self, position: int) -> list[tuple[int, int, str]]:
        """The tokens (start, end, text) of place words just before ``position``, in order."""
        window_start = max(0, position - _MAX_PLACE_CHARACTERS)
        tokens = [
            (m.start(), m.end(), m.group())
            for m in PLACE_TOKEN.finditer(self.text, window_start, position)
        ]
        kept: list[tuple[int, int, str]] = []
        boundary = position
        for start, end, token in reversed(tokens):
            if len(kept) >= _MAX_PLACE_TOKENS:
                break
            between = self.text[end:boundary]
            if not PLACE_SEPARATOR.fullmatch(between):
                break
            if not is_place_token(token):
                break
            kept.append((start, end, token))
            boundary = start
        kept.reverse()
        return kept


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
