"""Street addresses in comment text: a house number, name words and a street-type word ("12 Mill
Lane"), and the street, building and town words written just before a postcode; the word lists
and patterns they are read with. Used by the personal-data detector
(``personal_data._Scan.find_addresses``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Street-type words that end a street name. Abbreviations are compared without a trailing dot.
STREET_SUFFIXES = _words(
    """
    road rd street st avenue ave av lane ln close cl drive dr crescent cres cresc way gardens gdns
    terrace terr tce place pl court ct grove gro gr hill row walk mews square sq parade pde rise
    vale view green park boulevard blvd broadway meadow meadows link wharf quay yard brow chase
    croft dale fold garth glade heights hollow lea mead orchard path ride wynd causeway circus
    embankment esplanade promenade approach fields gate villas cottages passage alley loke twitten
    vennel drove ridge grange oval
    """
)
# Suffixes that are also ordinary words ("a short walk", "too close", "2 hour drive") only count
# when written with a capital; these few are safe in lower case too ("12 mill lane").
LOWERCASE_STREET_SUFFIXES = _words(
    "road rd street avenue ave lane ln crescent gardens gdns terrace tce mews grove boulevard blvd"
)
# Words that name a building rather than a street; only used just before a postcode
# ("Hampden House, Aylesbury HP20 1RF").
BUILDING_WORDS = _words(
    """
    house hall lodge cottage farm barn mill manor buildings building centre chambers mansions
    tower works court flats estate plaza mall station parkway pkwy arcade precinct
    """
)
# Words that cannot be part of a street name: they mean a number is counting something
# ("a 10 minute walk", "3 bed terrace") or that the words are a sentence, not a name.
NOT_STREET_NAME_WORDS = _words(
    """
    a an and or but on in at to of for from by with into onto up down over under near my your his
    her their our its this that these those is are was were be been very too so not no all some
    many more most few any every each i you he she we they it me him us them just only also
    minute minutes min mins hour hours hr hrs second seconds sec secs day days week weeks month
    months year years yr yrs mile miles mi km kilometre kilometres metre metres meter meters m
    yard yards yd yds foot feet ft inch inches people person persons times x percent pounds quid p
    pence kg car cars bus buses bed beds bedroom bedrooms bedroomed storey storeys story stories
    seater door doors lane lanes way ways
    """
)
# Words after which a house number is being given: needed before an all-lower-case street
# ("she lives at 12 mill lane"), which would otherwise be too easy to hit by chance.
ADDRESS_CUE_WORDS = _words(
    """
    live lives lived living stay stays staying address addy house home flat moved move at on in to
    from near of is number no
    """
)
# Words that end the run of place words before a postcode: what comes before them is a sentence.
NOT_PLACE_WORDS = _words(
    """
    is are was were be been i you he she they we it where when who live lives lived my his her
    their your our or but not next if so then than that this because please call ring email
    phone at for me him them us
    """
)
UNIT_WORDS = _words("flat apartment apt unit room suite studio")

_HOUSE_NUMBER = r"[0-9]{1,4}[A-Za-z]?(?:[ \t]*[-/][ \t]*[0-9]{1,4}[A-Za-z]?)?"
STREET_START = re.compile(
    rf"(?<![\w,/£$€#-])(?<![0-9]\.)(?:(?P<unit>flat|apartment|apt|unit|room|suite|studio)\.?[ \t]*"
    rf"(?:{_HOUSE_NUMBER}[ \t]*,?[ \t]*(?=[0-9]))?)?(?P<number>{_HOUSE_NUMBER})(?![0-9A-Za-z])"
    rf"[ \t]*(?:[,\-][ \t]*)?(?=[^\W\d_])",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"([^\W\d_][\w'’&.]*(?:-[\w'’&.]+)*)([ \t]+|$)?")
PUBLIC_ADDRESSES = ("10downingstreet", "11downingstreet", "221bbakerstreet")
PLACE_TOKEN = re.compile(r"[^\s,]+")
PLACE_SEPARATOR = re.compile(r"[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?")
HOUSE_NUMBER_TOKEN = re.compile(rf"{_HOUSE_NUMBER}$")
PLACE_WORD_TOKEN = re.compile(r"[^\W\d_][\w'’&.\-]*$")


def is_place_token(token: str) -> bool:
    if token in ("-", "&"):
        return True
    if HOUSE_NUMBER_TOKEN.match(token):
        return True
    if not PLACE_WORD_TOKEN.match(token):
        return False
    key = token.rstrip(".").lower()
    if key in NOT_PLACE_WORDS:
        return False
    # A full stop after a long word ends a sentence; after "St." or "Rd." it is an abbreviation.
    return not (token.endswith(".") and len(token) > 5)


def address_start(tokens: list[tuple[int, int, str]]) -> int | None:
    """Where the address before a postcode begins: its house number, unit or named street."""
    for index, (_, _, token) in enumerate(tokens[:-1]):
        if HOUSE_NUMBER_TOKEN.match(token) and PLACE_WORD_TOKEN.match(tokens[index + 1][2]):
            first = index
            if first and tokens[first - 1][2].lower() in UNIT_WORDS:
                first -= 1
            elif (
                first >= 2
                and HOUSE_NUMBER_TOKEN.match(tokens[first - 1][2])
                and tokens[first - 2][2].lower() in UNIT_WORDS
            ):
                first -= 2
            return tokens[first][0]
        key = token.rstrip(".").lower()
        if index and (key in STREET_SUFFIXES or key in BUILDING_WORDS) and token[0].isupper():
            first = index
            while first and index - first < 3 and tokens[first - 1][2][0].isupper():
                first -= 1
            if first < index:
                return tokens[first][0]
    return None


_CUE_WINDOW = 30
_MAX_PLACE_TOKENS = 10
_MAX_PLACE_CHARACTERS = 160


def street_addresses(text: str) -> Iterator[tuple[int, int]]:
    """House number, up to three name words and a street-type word: "12 Mill Lane"."""
    for match in STREET_START.finditer(text):
        words: list[re.Match[str]] = []
        position = match.end()
        while len(words) < 5:
            word = NAME_WORD.match(text, position)
            if word is None:
                break
            words.append(word)
            if not word.group(2):
                break
            position = word.end()
        end = _street_end(text, match, words)
        if end is not None:
            yield match.start(), end


def _street_end(text: str, start: re.Match[str], words: list[re.Match[str]]) -> int | None:
    for index in range(1, len(words)):
        suffix = words[index].group(1)
        suffix_key = suffix.rstrip(".").lower()
        if suffix_key not in STREET_SUFFIXES:
            continue
        names = [word.group(1) for word in words[:index]]
        if any(name.endswith(".") and len(name.rstrip(".")) > 3 for name in names):
            return None  # "on 14 June. Road closures": a full stop after a word ends a sentence
        name_keys = [name.lower() for name in names]
        if any(key in NOT_STREET_NAME_WORDS for key in name_keys[1:]) or (
            name_keys[0] in NOT_STREET_NAME_WORDS and name_keys[0] != "the"
        ):
            return None
        capitalised = names[0][0].isupper()
        if not capitalised:
            if suffix_key not in LOWERCASE_STREET_SUFFIXES:
                return None
            before = text[max(0, start.start() - _CUE_WINDOW) : start.start()].lower()
            if start.group("unit") is None and not ADDRESS_CUE_WORDS & set(before.split()):
                return None
        elif not suffix[0].isupper() and suffix_key not in LOWERCASE_STREET_SUFFIXES:
            return None
        return words[index].start(1) + len(suffix)
    return None


def addresses_before_postcodes(
    text: str, postcodes: Iterable[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """A postcode with the street, building and town words written just before it."""
    for postcode_start, postcode_end in postcodes:
        tokens = _place_tokens_before(text, postcode_start)
        start = address_start(tokens)
        if start is not None:
            yield start, postcode_end


def _place_tokens_before(text: str, position: int) -> list[tuple[int, int, str]]:
    """The tokens (start, end, text) of place words just before ``position``, in order."""
    window_start = max(0, position - _MAX_PLACE_CHARACTERS)
    tokens = [
        (m.start(), m.end(), m.group()) for m in PLACE_TOKEN.finditer(text, window_start, position)
    ]
    kept: list[tuple[int, int, str]] = []
    boundary = position
    for start, end, token in reversed(tokens):
        if len(kept) >= _MAX_PLACE_TOKENS:
            break
        between = text[end:boundary]
        if not PLACE_SEPARATOR.fullmatch(between):
            break
        if not is_place_token(token):
            break
        kept.append((start, end, token))
        boundary = start
    kept.reverse()
    return kept


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, overlapping ones joined into one."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined
