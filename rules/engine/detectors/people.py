"""Matching people's names (staff, councillors, candidates) and the sentence around them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from rules.engine.detectors.posts import roles_of
from rules.engine.lexicon import entry_patterns, read_list

TITLES = r"(?:cllr|councillor|councilor|cllor|mr|mrs|ms|miss|mx|dr|sir|dame|lord|lady|mayor)"
_TITLE_WORDS = {
    "cllr", "cllr.", "councillor", "councilor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss",
    "mx", "dr", "dr.", "sir", "dame", "lord", "lady", "mayor",
}  # fmt: skip
# Particles that are part of a surname rather than a given name.
_PARTICLES = {"de", "van", "von", "der", "den", "le", "la", "du", "da", "di", "o", "mc", "mac"}
_SENTENCE_END = re.compile(r"[.!?\n]+\s|\n")
_WORD = re.compile(r"[a-z0-9'*]+")


def name_source(names: Sequence[str]) -> str | None:
    """An RE2 alternation (on the words views) matching each name in full, and a title with
    the surname ("Jane Smith" -> "jane smith", "cllr smith", "mrs smith", "councillor jane
    smith"); None when there are no usable names."""
    alternatives: dict[str, None] = {}
    for name in names:
        cleaned = " ".join(name.replace("@", " ").split())
        if len(cleaned) < 3:
            continue
        for pattern in entry_patterns(cleaned):
            alternatives[rf"(?:{TITLES}\.?\s+)?{pattern}"] = None
        parts = cleaned.split()
        if len(parts) >= 2:
            surname = parts[-1]
            if len(parts) >= 3 and parts[-2].lower() in _PARTICLES:
                surname = " ".join(parts[-2:])
            if len(surname.replace(" ", "")) >= 3:
                for pattern in entry_patterns(surname):
                    alternatives[rf"\b{TITLES}\.?\s+{pattern}"] = None
    if not alternatives:
        return None
    return "(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + ")"


def sentence_around(text: str, start: int, end: int, reach: int = 140) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``, at most ``reach`` characters either side."""
    left = max(0, start - reach)
    right = min(len(text), end + reach)
    boundaries = list(_SENTENCE_END.finditer(text, left, start))
    if boundaries:
        left = boundaries[-1].end()
    after = _SENTENCE_END.search(text, end, right)
    if after is not None:
        right = after.start() + 1
    return left, right


def word_window(
    text: str, start: int, end: int, words: int, low: int = 0, high: int | None = None
) -> tuple[int, int]:
    """The span from ``words`` words before ``text[start:end]`` to ``words`` words after it,
    kept within ``[low, high)``."""
    high = len(text) if high is None else high
    before = list(_WORD.finditer(text, low, start))
    after = list(_WORD.finditer(text, end, high))[:words]
    left = before[-words].start() if len(before) >= words else low
    right = after[-1].end() if after else end
    return max(low, left), min(high, right)


# A surname that is also an ordinary word ("Hale", "Price", "Bush") opens a sentence as a
# person only before a verb, not a word that joins or follows a noun ("Hale and hearty",
# "Price rises", "Bush fire" are the words): an auxiliary, a verb of speech, or a past tense
# ("Hale covered this up"). An ordinary noun needs a determiner before a verb ("The price
# went up"), so a bare one before a past tense is rare; "Moss covered the path" is the kind of
# sentence still misread.
_VERB_AFTER_WORD = re.compile(
    r"\s*(?:is|was|has|had|have|should|needs|must|can|will|would|doesn't|does|did|didn't|"
    r"never|says|said|promised|lied|wants|thinks|knows|claims|couldn't|won't|isn't|wasn't|"
    r"hides|keeps|blocked|deserves?|[a-z]{3,}ed)\b"
)
# The next word capitalised makes a place or a body ("Lumb Lane", "Hale Barns"), not a person.
_CAPITALISED_NEXT = re.compile(r"\s+(?!I\b)[A-Z]")


@cache
def common_words() -> frozenset[str]:
    """Ordinary English words of four letters or more (``data/common_words.txt``)."""
    text = files("rules.engine").joinpath("data", "common_words.txt").read_text("utf-8")
    return frozenset(read_list(text))


def surname_source(names: Sequence[str]) -> str | None:
    """An RE2 alternation of the surnames (four letters or more) of multi-word names."""
    surnames: dict[str, None] = {}
    for name in names:
        parts = [
            part for part in name.replace("@", " ").split() if part.lower() not in _TITLE_WORDS
        ]
        if len(parts) >= 2 and len(parts[-1]) >= 4:
            for pattern in entry_patterns(parts[-1]):
                surnames[pattern] = None
    if not surnames:
        return None
    return "(?:" + "|".join(sorted(surnames, key=len, reverse=True)) + ")"


def is_named(original: str, start: int, end: int) -> bool:
    """Whether a surname found at ``original[start:end]`` names a person: capitalised as
    posted; at the start of a sentence, not followed by another capitalised word, and, when it
    is also an ordinary word, followed by a verb (``_VERB_AFTER_WORD``)."""
    if end <= start or not original[start].isupper():
        return False
    before = original[:start].rstrip()
    if before and before[-1] not in ".!?\n":
        return True
    if _CAPITALISED_NEXT.match(original, end):
        return False
    if original[start:end].casefold() not in common_words():
        return True
    return bool(_VERB_AFTER_WORD.match(original, end))


def sentence_and_next(text: str, start: int, end: int, reach: int = 140) -> tuple[int, int]:
    """The sentence holding ``text[start:end]`` and the one after it (criticism and canvassing
    often come as a short second sentence: "Cllr Smith promised a crossing. Still waiting.")."""
    left, right = sentence_around(text, start, end, reach)
    if right < len(text):
        _, right = sentence_around(text, right, right, reach)
    return left, right


def staff_names_and_roles(settings: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(names, posts) of ``settings["staff_names"]``, whose entries are names or ``{"name":
    ..., "role": ...}`` objects, and of ``settings["staff_roles"]`` (roles alone); a role's
    posts are those ``posts.role_phrases`` reads in it."""
    names: list[str] = []
    roles: list[str] = []
    entries = settings.get("staff_names") if isinstance(settings, Mapping) else None
    for entry in entries if isinstance(entries, list | tuple) else ():
        name = entry.get("name") if isinstance(entry, Mapping) else entry
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
        role = entry.get("role") if isinstance(entry, Mapping) else None
        if isinstance(role, str):
            roles.append(role)
    listed = settings.get("staff_roles") if isinstance(settings, Mapping) else None
    if isinstance(listed, str):
        listed = [listed]
    roles.extend(
        r for r in (listed if isinstance(listed, list | tuple) else ()) if isinstance(r, str)
    )
    return names, roles_of(roles)
