"""Street addresses in comment text: a house number, name words and a street-type word ("12 Mill
Lane"), and the street, building and town words written just before a postcode. Read by the
personal-data detector (``personal_data._Scan.find_addresses``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .uk_formats import (
    ADDRESS_CUE_WORDS,
    LOWERCASE_STREET_SUFFIXES,
    NAME_WORD,
    NOT_STREET_NAME_WORDS,
    PLACE_SEPARATOR,
    PLACE_TOKEN,
    STREET_START,
    STREET_SUFFIXES,
    address_start,
    is_place_token,
)

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
