"""What UK personal data looks like: the formats the personal-data detector reads.

Validators on compacted values (postcode letter rules, National Insurance prefixes, NHS mod 11,
Luhn and card prefixes, IBAN; the checksums and the IBAN registry are python-stdnum's; phone
validity with Ofcom's drama ranges), the compiled patterns the detector scans with, and the
small readers that judge one match (where an email ends, whether a contact detail is the
organisation's own). Everything here is pure; street addresses, with their word lists, are in
``addresses.py``, and the scan itself, with its overlap rules, in ``personal_data.py``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import lru_cache

import phonenumbers
from stdnum import iban, luhn, numdb
from stdnum.gb import nhs


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The 121 postcode areas of the UK plus the Crown Dependencies (GY, JE, IM) and the non-geographic
# BF (British Forces) and BX areas. Checking the area, not only the letter rules, stops ordinary
# letter-digit pairs ("b4", "m8") from reading as the start of a postcode.
POSTCODE_AREAS = _words(
    """
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
    LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    """
)
# Royal Mail's letter rules: the letter after the district digit in A9A districts (W1A, EC1A) ...
_THIRD_POSITION_LETTERS = frozenset("ABCDEFGHJKPSTUW")
# ... in AA9A districts (SW1A, EC2M) ...
_FOURTH_POSITION_LETTERS = frozenset("ABEHMNPRVWXY")
# ... and in the inward unit, which never uses C, I, K, M, O or V.
_INWARD_LETTERS = frozenset("ABDEFGHJLNPQRSTUWXYZ")


def is_valid_postcode(outward: str, inward: str) -> bool:
    """Whether an outward and inward code (upper case, no spaces) form a well-formed UK postcode.

    The area must exist, the district must follow the A9 / A99 / A9A / AA9 / AA99 / AA9A shapes and
    their letter rules, and the inward code is a digit and two allowed letters. GIR 0AA (Girobank)
    is the one historical exception.
    """
    if outward == "GIR" and inward == "0AA":
        return True
    if len(inward) != 3 or not inward[0].isdigit():
        return False
    if inward[1] not in _INWARD_LETTERS or inward[2] not in _INWARD_LETTERS:
        return False
    area_length = 2 if len(outward) > 1 and outward[1].isalpha() else 1
    area, district = outward[:area_length], outward[area_length:]
    if area not in POSTCODE_AREAS or not 1 <= len(district) <= 2 or not district[0].isdigit():
        return False
    if len(district) == 1 or district[1].isdigit():
        return True
    allowed = _THIRD_POSITION_LETTERS if area_length == 1 else _FOURTH_POSITION_LETTERS
    return district[1] in allowed


_NINO_FIRST_LETTER_NEVER = frozenset("DFIQUV")
_NINO_SECOND_LETTER_NEVER = frozenset("DFIOQUV")
_NINO_PREFIXES_NEVER_ALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def is_valid_ni_prefix(prefix: str) -> bool:
    """Whether two upper-case letters can begin a National Insurance number (HMRC's rules)."""
    return (
        len(prefix) == 2
        and prefix.isalpha()
        and prefix[0] not in _NINO_FIRST_LETTER_NEVER
        and prefix[1] not in _NINO_SECOND_LETTER_NEVER
        and prefix not in _NINO_PREFIXES_NEVER_ALLOCATED
    )


def is_valid_nhs_number(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus-11 check digit (python-stdnum; a
    remainder that would need check digit 10 is never issued, so such a number is invalid)."""
    return len(digits) == 10 and nhs.is_valid(digits)


def passes_luhn(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum used by payment card numbers."""
    return digits.isascii() and digits.isdigit() and luhn.is_valid(digits)


# (lowest prefix, highest prefix, allowed lengths) per scheme; the prefix is compared on as many
# leading digits as the bounds have. Sources: the schemes' published IIN ranges.
_CARD_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),  # Visa
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),  # American Express
    ("50", "50", frozenset(range(13, 20))),  # Maestro
    ("56", "58", frozenset(range(13, 20))),  # Maestro
    ("6304", "6304", frozenset(range(13, 20))),  # Maestro (Laser)
    ("6759", "6759", frozenset(range(13, 20))),  # Maestro UK
    ("6761", "6763", frozenset(range(13, 20))),  # Maestro
    ("6011", "6011", frozenset(range(16, 20))),  # Discover
    ("644", "649", frozenset(range(16, 20))),  # Discover
    ("65", "65", frozenset(range(16, 20))),  # Discover
    ("300", "305", frozenset(range(14, 20))),  # Diners Club
    ("36", "36", frozenset(range(14, 20))),  # Diners Club
    ("38", "39", frozenset(range(14, 20))),  # Diners Club
    # JCB: 3528-3589 today; test generators use all of 35xx, and a 16-digit Luhn-valid number
    # starting 35 is a card whichever range it is in. 1800 and 2131 are JCB's old 15-digit ranges.
    ("35", "35", frozenset(range(16, 20))),
    ("1800", "1800", frozenset({15})),
    ("2131", "2131", frozenset({15})),
    ("62", "62", frozenset(range(16, 20))),  # UnionPay
)


def has_card_prefix(digits: str) -> bool:
    """Whether digits start with a known card-scheme prefix and have that scheme's length."""
    for low, high, lengths in _CARD_RANGES:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return True
    return False


def is_valid_card_number(digits: str) -> bool:
    """Whether 13-19 digits look like a real payment card: a scheme prefix and a passing Luhn."""
    return 13 <= len(digits) <= 19 and has_card_prefix(digits) and passes_luhn(digits)


def _iban_lengths() -> dict[str, int]:
    """IBAN length per country, from the SWIFT IBAN registry that python-stdnum keeps: each
    BBAN is a run of fixed-length parts ("4!a6!n8!n"), after two letters and two check digits.
    A country missing from it is not accepted at all: mod-97 alone passes one random string in
    97, too often for free text."""
    registry = numdb.get("iban")
    lengths = {}
    for first in string.ascii_uppercase:
        for second in string.ascii_uppercase:
            country = first + second
            properties = registry.info(country + "00")[0][1]
            if "bban" in properties:
                parts = re.findall(r"(\d+)!?[nace]", properties["bban"])
                lengths[country] = 4 + sum(int(size) for size in parts)
    return lengths


IBAN_LENGTHS: dict[str, int] = _iban_lengths()


def is_valid_iban(compact: str) -> bool:
    """Whether an upper-case IBAN without separators has its country's length and format and
    passes mod 97 (and the country's own check digits, where python-stdnum knows them)."""
    return IBAN_LENGTHS.get(compact[:2]) == len(compact) and iban.is_valid(compact)


# Ofcom keeps these ranges for drama and examples. The phonenumbers metadata calls them invalid,
# but in a comment they are indistinguishable from real numbers (and they are what people use in
# examples and tests), so they count as phone numbers. Keys are national significant numbers.
_OFCOM_DRAMA_PREFIXES: tuple[tuple[str, int], ...] = (
    ("7700900", 10),
    ("1632960", 10),
    ("2079460", 10),
    ("1134960", 10),
    ("1144960", 10),
    ("1154960", 10),
    ("1164960", 10),
    ("1174960", 10),
    ("1184960", 10),
    ("1214960", 10),
    ("1314960", 10),
    ("1414960", 10),
    ("1514960", 10),
    ("1614960", 10),
    ("1914980", 10),
    ("2896496", 10),
    ("2920180", 10),
    ("8081570", 10),
    ("9098790", 10),
    ("3069990", 10),
)


def is_ofcom_drama_number(national_number: str) -> bool:
    """Whether a UK national significant number (no leading 0) is in an Ofcom drama range."""
    return any(
        national_number.startswith(prefix) and len(national_number) == length
        for prefix, length in _OFCOM_DRAMA_PREFIXES
    )


# Top-level domains accepted when an email address is written in an obfuscated way ("at", "dot",
# spaces around "@"): there the words could also be an ordinary sentence, so only real, common
# endings count. A plainly written address may end in any alphabetic TLD.
KNOWN_TLDS = _words(
    """
    com net org info biz edu gov mil int uk co ac ltd plc sch nhs police me io tv eu de fr es it
    nl ie be ch at dk se no fi pl pt cz ru cn jp in au nz ca us za br mx scot wales cymru london
    online site xyz app dev email club shop store tech blog ai
    """
)


# --- patterns and readers used by the detector -----------------------------------------------

_WEBMAIL = (
    "gmail|googlemail|hotmail|outlook|yahoo|ymail|icloud|aol|msn|live|btinternet|btopenworld|sky|"
    "virginmedia|ntlworld|blueyonder|talktalk|tiscali|protonmail|proton|gmx|yandex|fastmail|zoho"
)
EMAIL_CUE = re.compile(
    r"@|\bdot\b|[\[({<][ \t]*at[ \t]*[\])}>]|\bat[ \t]+(?:(?:"
    + _WEBMAIL
    + r")\b|[A-Za-z0-9-]+\.[A-Za-z])",
    re.IGNORECASE,
)
_WEBMAIL_NAMES = frozenset(_WEBMAIL.split("|"))
_LOCAL_WORD = r"[A-Za-z0-9_%+'-]+"
_DOMAIN_LABEL = r"[A-Za-z0-9-]+"
_OBFUSCATED_DOT = r"[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+"
_DOT = rf"(?:{_OBFUSCATED_DOT}|[ \t]+\.[ \t]+|\.|,)"
_DOMAIN_DOT = rf"(?:{_DOT}|[ \t]+(?=(?:com|net|org|co\.uk|co|uk)\b))"
_AT = r"(?:[ \t]*[\[({<][ \t]*(?:at|@)[ \t]*[\])}>][ \t]*|[ \t]+at[ \t]+|[ \t]+@+[ \t]+|@+)"
EMAIL = re.compile(
    rf"(?<![A-Za-z0-9_%+'.@-])(?P<local>{_LOCAL_WORD}(?:{_DOT}{_LOCAL_WORD}){{0,8}})"
    rf"(?P<at>{_AT})(?P<domain>{_DOMAIN_LABEL}(?:{_DOMAIN_DOT}{_DOMAIN_LABEL}){{1,6}})",
    re.IGNORECASE,
)
_MAILBOX_LIKE = re.compile(r"[A-Za-z0-9][._][A-Za-z0-9]|[0-9]")
_PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9_%+'-]+(?:\.[A-Za-z0-9_%+'-]+)*")
_DOMAIN_PART = re.compile(rf"({_DOMAIN_DOT})?({_DOMAIN_LABEL})", re.IGNORECASE)

DIGIT_RUN = re.compile(r"[0-9](?:[ \t.\-/()]{0,3}[0-9])*")
DIGIT_GROUP = re.compile(r"[0-9]+")
CARD_SEPARATOR = re.compile(r"[ \t]{0,2}[.\-]?[ \t]{0,2}")
PHONE_PREFIX_BEFORE_RUN = re.compile(r"(?:\+[ \t]*\(?|\([ \t]*)$")
# Words before a 10-digit number that make it a reference, not an NHS number, unless "NHS" (or
# Scotland's CHI, Northern Ireland's H&C) is said too.
REFERENCE_CONTEXT = re.compile(
    r"\b(?:ref(?:erence)?|order|invoice|case|ticket|tracking|booking|policy|account|claim|"
    r"application|membership|customer|crime|incident|job|permit|licence|license)\b[^0-9]{0,20}$",
    re.IGNORECASE,
)
HEALTH_CONTEXT = re.compile(r"\b(?:nhs|chi|h&c|health)\b", re.IGNORECASE)

SORT_CODE = re.compile(
    r"(?<![0-9])(?<![0-9][ .\-/])[0-9]{2}(?P<separator>[ \t]?[-./]{1,2}[ \t]?|[ \t]{1,2})"
    r"[0-9]{2}(?P=separator)[0-9]{2}(?![0-9])(?![ .\-/][0-9])"
)
# A sort code written straight before its account number ("12-34-56 12345678") reads as one run of
# digits, which the two patterns above refuse to split; this one takes the pair as a whole.
SORT_CODE_THEN_ACCOUNT = re.compile(
    r"(?<![0-9])(?<![0-9][ .\-/])(?P<sort>[0-9]{2}(?P<separator>[ \t]?[-./]{1,2}[ \t]?|[ \t])"
    r"[0-9]{2}(?P=separator)[0-9]{2})[ \t]*[,/]?[ \t]*(?P<account>[0-9]{8})(?![0-9])"
)
LABELLED_SORT_CODE = re.compile(
    r"\b(?:sort[ \t]*-?[ \t]*codes?|s/c|sc)\b[ \t]*(?:is[ \t]+)?[:#.\-]?[ \t]*"
    r"(?P<value>[0-9](?:[ \t.\-/]{0,2}[0-9]){5})(?![0-9])",
    re.IGNORECASE,
)
ACCOUNT_NUMBER = re.compile(
    r"(?<![0-9])(?<![0-9][ .\-/])(?:[0-9]{8}|[0-9]{4}[ \t-][0-9]{4})(?![0-9])(?![ .\-/][0-9])"
)
LABELLED_ACCOUNT_NUMBER = re.compile(
    r"\b(?:(?:bank[ \t]+)?account[ \t]*(?:number|num|no)\.?|bank[ \t]+account|acc(?:ount)?[ \t]*"
    r"(?:no|num|#)\.?|acct[ \t]*(?:no|number)?\.?|a/c[ \t]*(?:no|number)?\.?)[ \t]*(?:is[ \t]+)?"
    r"[:#\-]?[ \t]*(?P<value>[0-9](?:[ \t.\-]?[0-9]){7})(?![0-9])",
    re.IGNORECASE,
)

IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}[ \t.\-]?[0-9]{2}(?:[ \t.\-]?[A-Za-z0-9]){10,32}", re.IGNORECASE
)
ALPHANUMERIC = re.compile(r"[A-Za-z0-9]")

# The separators people put inside a National Insurance number, even between every character.
_NI_GAP = r"[ \t.\-/]{0,2}"
NI_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9])(?P<first>[A-Za-z]){_NI_GAP}(?P<second>[A-Za-z]){_NI_GAP}"
    rf"(?P<digits>[0-9](?:{_NI_GAP}[0-9]){{5}})"
    rf"(?:{_NI_GAP}(?P<suffix>[A-Da-d]))?(?![A-Za-z0-9])"
)
# Two-letter English words that pass HMRC's prefix rules ("up 123456 a year" cannot: U is never
# first, but "by 150000 a year" can).
TWO_LETTER_WORDS = frozenset(
    {"AM", "AN", "AS", "AT", "BE", "BY", "HE", "ME", "MY", "ON", "OR", "OK", "WE", "AH", "EH", "OH"}
)
NI_CONTEXT = re.compile(
    r"\b(?:ni|nino|n\.i\.|national[ \t]+insurance)\b[^\n]{0,25}$", re.IGNORECASE
)

POSTCODE = re.compile(
    r"(?<![A-Za-z0-9@#/_])(?P<outward>[A-Za-z]{1,2}[0-9][A-Za-z0-9]?|GIR)"
    r"(?:[ \t]{0,2}-?[ \t]{0,2})(?P<inward>[0-9][A-Za-z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
ORDINAL = re.compile(r"[0-9](?:st|nd|rd|th)")


def email_end(match: re.Match[str]) -> int | None:
    """Where the email really ends, or None if the match is a sentence that only looks like one.

    The domain is trimmed back to the last label that is a believable top-level domain
    ("jane@gmail.com,thanks" ends after "com").
    """
    local, at, domain_start = match.group("local"), match.group("at"), match.start("domain")
    plain_at = at == "@"
    obfuscated_local = _PLAIN_LOCAL_PART.fullmatch(local) is None
    parts = [
        (m.group(1) or "", m.group(2), m.end())
        for m in _DOMAIN_PART.finditer(match.string, domain_start, match.end())
    ]
    first_label = parts[0][1].lower() if parts else ""
    for count in range(len(parts), 1, -1):
        tld = parts[count - 1][1]
        separators = [separator for separator, _, _ in parts[1:count]]
        obfuscated_domain = any(separator != "." for separator in separators)
        obfuscated = obfuscated_domain or obfuscated_local or not plain_at
        if not tld.isalpha() or not 2 <= len(tld) <= 24:
            continue
        if obfuscated and tld.lower() not in KNOWN_TLDS:
            continue
        if at.strip().lower() == "at" and not (
            any(re.search(_OBFUSCATED_DOT, s, re.IGNORECASE) for s in separators)
            or first_label in _WEBMAIL_NAMES
            or _MAILBOX_LIKE.search(local)
        ):
            # "details at exeter.gov.uk" is a website, not "details@exeter.gov.uk"; but a word
            # with dots, underscores or digits before "at" ("jane.smith at ...") is a mailbox.
            return None
        return parts[count - 1][2]
    return None


def is_card_grouping(lengths: list[int]) -> bool:
    """Groupings cards are printed in, or every digit apart; used for windows inside longer runs."""
    if len(lengths) == 1 or all(length == 1 for length in lengths):
        return True
    if lengths in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(length == 4 for length in lengths[:-1]) and 1 <= lengths[-1] <= 4


def is_nhs_grouping(lengths: list[int]) -> bool:
    return lengths in ([10], [3, 3, 4]) or all(length == 1 for length in lengths)


def any_grouping(lengths: list[int]) -> bool:
    return True


def is_phone_number(digits: str, international: bool, spend: Callable[[], bool]) -> bool:
    """Whether digits (with a "+" before them when ``international``) are a valid phone number."""
    if international:
        if digits.startswith("440"):  # "+44 (0)7911 ...": the bracketed trunk zero is not dialled
            digits = "44" + digits[3:]
        candidate = "+" + digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif digits.startswith("0"):
        if len(digits) not in (10, 11):
            return False
        candidate = digits
    elif digits.startswith("44") and len(digits) == 12:
        candidate = "+" + digits
    else:
        return False
    if not 9 <= len(candidate.lstrip("+")) <= 15:
        return False
    known = _PHONE_VALIDITY.get(candidate)
    if known is not None:
        return known
    if not spend():
        return _looks_like_uk_number(candidate)
    valid = _phone_validity(candidate)
    if len(_PHONE_VALIDITY) >= 4096:
        _PHONE_VALIDITY.clear()
    _PHONE_VALIDITY[candidate] = valid
    return valid


# Remembered answers of the phone library, which costs tens of microseconds a number.
_PHONE_VALIDITY: dict[str, bool] = {}


def _phone_validity(candidate: str) -> bool:
    try:
        number = phonenumbers.parse(candidate, "GB")
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    if number.country_code != 44:
        return False
    # Two UK shapes count even where the library's range tables say "not allocated": Ofcom's
    # drama numbers, and any 07 number of the mobile length, because a mobile-shaped number in
    # a comment is somebody's number (or one mistyped digit away from it) whatever the tables say.
    national = str(number.national_number)
    return is_ofcom_drama_number(national) or _UK_MOBILE_SHAPE.fullmatch(national) is not None


_UK_MOBILE_SHAPE = re.compile(r"7[0-9]{9}")


_UK_NUMBER_SHAPE = re.compile(r"(?:\+44|0)(?:7[1-9][0-9]{8}|[12][0-9]{8,9}|3[0-9]{9}|8[0-9]{8,9})")


def _looks_like_uk_number(candidate: str) -> bool:
    """The cheap reading used once a hostile text has spent the phone library's budget."""
    return _UK_NUMBER_SHAPE.fullmatch(candidate) is not None


def letters_and_digits(value: str) -> str:
    return "".join(character for character in value.lower() if character.isalnum())


@lru_cache(maxsize=256)
def phone_key(value: str) -> str:
    """A phone number as E.164 when it parses, else its digits with a UK trunk zero."""
    digits = re.sub(r"[^0-9+]", "", value)
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(digits, "GB"), phonenumbers.PhoneNumberFormat.E164
        )
    except phonenumbers.NumberParseException:
        return digits


@lru_cache(maxsize=64)
def phone_keys(phones: tuple[str, ...]) -> frozenset[str]:
    return frozenset(phone_key(phone) for phone in phones)


def email_key(value: str) -> str:
    """An email as user@domain, however it was written ("jane dot smith at gmail dot com")."""
    lowered = value.lower()
    lowered = re.sub(r"[ \t]*[\[({<][ \t]*(?:at|@)[ \t]*[\])}>][ \t]*|[ \t]+at[ \t]+", "@", lowered)
    lowered = re.sub(_OBFUSCATED_DOT, ".", lowered)
    lowered = re.sub(r"[ \t]*[.,][ \t]*", ".", lowered)
    return re.sub(r"[ \t]*@+[ \t]*", "@", lowered)


def is_own_email(value: str, emails: tuple[str, ...], domains: tuple[str, ...]) -> bool:
    key = email_key(value)
    if key in {email.strip().lower() for email in emails}:
        return True
    domain = key.rpartition("@")[2]
    for own_domain in domains:
        own = own_domain.strip().lower().lstrip("@.")
        if own and (domain == own or domain.endswith("." + own)):
            return True
    return False


def is_own_address(compact: str, addresses: tuple[str, ...], postcodes: tuple[str, ...]) -> bool:
    for postcode in postcodes:
        own_postcode = letters_and_digits(postcode)
        if own_postcode and compact.endswith(own_postcode):
            return True
    for address in addresses:
        own = letters_and_digits(address)
        if own and (own in compact or compact in own):
            return True
    return False
