"""Validators and word lists for UK personal-data formats, used by the personal-data detector.

Everything here is pure and works on already-compacted values (digits only, or upper-case letters
and digits), so each rule can be tested on its own: postcode letter rules, National Insurance
prefixes, NHS mod-11, Luhn and card prefixes, IBAN mod-97 and Ofcom's fictional phone ranges.
"""

from __future__ import annotations

# The 121 postcode areas of the UK plus the Crown Dependencies (GY, JE, IM) and the non-geographic
# BF (British Forces) and BX areas. Checking the area, not only the letter rules, stops ordinary
# letter-digit pairs ("b4", "m8") from reading as the start of a postcode.
POSTCODE_AREAS = frozenset(
    """
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
    LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    """.split()
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
    """Whether ten digits pass the NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    # A remainder that gives 10 is never issued: such a number is invalid, not "check digit 10".
    return check != 10 and check == int(digits[9])


def passes_luhn(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum used by payment card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


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
    ("3528", "3589", frozenset(range(16, 20))),  # JCB
    ("62", "62", frozenset(range(16, 20))),  # UnionPay
)


def has_card_prefix(digits: str) -> bool:
    """Whether a digit string starts with a known card-scheme prefix and has that scheme's length."""
    for low, high, lengths in _CARD_RANGES:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return True
    return False


def is_valid_card_number(digits: str) -> bool:
    """Whether 13-19 digits look like a real payment card: a scheme prefix and a passing Luhn."""
    return 13 <= len(digits) <= 19 and has_card_prefix(digits) and passes_luhn(digits)


# IBAN length per country (SWIFT IBAN registry). A country missing here is not accepted at all:
# mod-97 alone passes one random string in 97, too often for free text.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30,
    "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def is_valid_iban(compact: str) -> bool:
    """Whether an upper-case IBAN without separators has its country's length and mod-97 == 1."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    if not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    as_number = "".join(str(int(character, 36)) for character in rearranged)
    return int(as_number) % 97 == 1


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


# Street-type words that end a street name. Abbreviations are compared without a trailing dot.
STREET_SUFFIXES = frozenset(
    """
    road rd street st avenue ave av lane ln close cl drive dr crescent cres cresc way gardens gdns
    terrace terr tce place pl court ct grove gro gr hill row walk mews square sq parade pde rise
    vale view green park boulevard blvd broadway meadow meadows link wharf quay yard brow chase croft
    dale fold garth glade heights hollow lea mead orchard path ride wynd causeway circus embankment
    esplanade promenade approach fields gate villas cottages passage alley loke twitten vennel
    drove ridge grange oval
    """.split()
)
# Suffixes that are also ordinary words ("a short walk", "too close", "2 hour drive") only count
# when written with a capital; these few are safe in lower case too ("12 mill lane").
LOWERCASE_STREET_SUFFIXES = frozenset(
    "road rd street avenue ave lane ln crescent gardens gdns terrace tce mews grove boulevard blvd"
    .split()
)
# Words that name a building rather than a street; only used just before a postcode
# ("Hampden House, Aylesbury HP20 1RF").
BUILDING_WORDS = frozenset(
    """
    house hall lodge cottage farm barn mill manor buildings building centre chambers mansions
    tower works court flats
    """.split()
)
# Words that cannot be part of a street name: they mean a number is counting something
# ("a 10 minute walk", "3 bed terrace") or that the words are a sentence, not a name.
NOT_STREET_NAME_WORDS = frozenset(
    """
    a an and or but on in at to of for from by with into onto up down over under near my your his
    her their our its this that these those is are was were be been very too so not no all some
    many more most few any every each i you he she we they it me him us them just only also
    minute minutes min mins hour hours hr hrs second seconds sec secs day days week weeks month
    months year years yr yrs mile miles mi km kilometre kilometres metre metres meter meters m
    yard yards yd yds foot feet ft inch inches people person persons times x percent pounds quid p
    pence kg car cars bus buses bed beds bedroom bedrooms bedroomed storey storeys story stories
    seater door doors lane lanes way ways
    """.split()
)
# Words after which a house number is being given: needed before an all-lower-case street
# ("she lives at 12 mill lane"), which would otherwise be too easy to hit by chance.
ADDRESS_CUE_WORDS = frozenset(
    """
    live lives lived living stay stays staying address addy house home flat moved move at on in to
    from near of is number no
    """.split()
)
# Words that end the run of place words before a postcode: what comes before them is a sentence.
NOT_PLACE_WORDS = frozenset(
    """
    is are was were be been i you he she they we it where when who live lives lived my his her
    their your our or but not near next if so then than that this because please call ring email
    phone at for me him them us
    """.split()
)
UNIT_WORDS = frozenset("flat apartment apt unit room suite studio".split())
