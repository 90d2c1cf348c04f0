"""Who a comment names, as the learned stage sees it: the organisation's people and parties as
masked words.

A rule set's settings name the organisation's staff and councillors (``staff_names``), the
candidates of an election (``candidates``), its own names and handles (``own_names``) and its
own contacts (``own_contacts``, ``own_domains``). The rules read them (criticism of a named
officer, promoting a candidate, the council's own phone number); the model would otherwise see
"McAllister" or "Hollinbrook" as words of their own, learnt from one council's comments and
meaningless at the next. Masked, every council's people look alike to the model:

* ``<staff>``: a staff name in full, or its surname capitalised as posted or after a title
  ("Cllr Nolan", "Nolan is useless"); also a capitalised surname after a councillor's title
  nobody configured ("Cllr Patel"), and a post only one person holds after a determiner
  ("the provost", "our chairman", the organisation's own roles: "the station manager";
  ``rules.engine.detectors.posts``), as the staff-criticism rule reads them;
* ``<candidate>``: a candidate's name in full, or the surname capitalised or after a title;
* ``<party>``: a UK party ("Tories", "Lib Dems", "Reform UK"); the parties whose names are
  ordinary words ("Labour", "Green", "Reform") only when capitalised as posted and not part of
  a place's name ("Copsey Green", "Labour Club");
* ``<org>``: the organisation's handles, the distinctive words of its name (capitalised), its
  domains, emails, phone numbers, postcodes and addresses.

So the model learns what is said of a named officer or a candidate, the same for every
organisation. Texts with no settings (the public data sets) still get ``<party>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rules.engine.detectors.base import word_set
from rules.engine.detectors.people import is_named, staff_names_and_roles
from rules.engine.detectors.political import PARTY_PREFIXES, in_proper_noun
from rules.engine.detectors.posts import DETERMINERS, QUALIFIERS, names_nobody, posts_source
from rules.engine.normalise import normalise

STAFF_WORD, CANDIDATE_WORD, PARTY_WORD, ORG_WORD = "<staff>", "<candidate>", "<party>", "<org>"

# When an entry's words count: always; only capitalised as posted; a person's surname named as
# the staff rule reads it (capitalised, and at the start of a sentence only before a verb-like
# word: "Price of parking" names nobody), or after a title; a party word that is also an
# ordinary word (capitalised, and not in a place's name).
ALWAYS, CAPITALISED, NAMED, PARTY = 0, 1, 2, 3

# A word as the features tokenise it (``features``), so a masked name's words line up with them.
TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'-]*)\s+$")
_TITLES = frozenset(
    {"cllr", "councillor", "councilor", "cllor", "mr", "mrs", "ms", "miss", "mx", "dr", "sir"}
)
_COUNCIL_TITLES = frozenset({"cllr", "councillor", "councilor", "cllor"})
# Words of an organisation's name that name no place: "Wealdmoor Borough Council" -> Wealdmoor.
_GENERIC_NAME_WORDS = word_set(
    """
    the of and council borough county city district town parish metropolitan london royal
    unitary authority combined fire rescue police service services nhs trust board
    """
)
_UNAMBIGUOUS_PARTIES = """
    tory; tories; toryism; snp; ukip; dup; sdlp; uup; bnp; tusc; libdem; libdems; lib dem;
    lib dems; liberal democrat; liberal democrats; conservative party; labour party;
    green party; greens party; reform uk; reform party; brexit party; plaid cymru; sinn fein;
    scottish national party; alliance party; democratic unionist; democratic unionists;
    ulster unionist; ulster unionists; britain first; workers party; alba party;
    british national party; english democrats; monster raving loony; yorkshire party;
    social democratic party
"""
_AMBIGUOUS_PARTIES = sorted(
    word_set("labour conservative conservatives reform green greens alliance liberal liberals")
)

Entry = tuple[tuple[str, ...], str, int]  # (words, mask, when)


def words_of(text: str) -> tuple[str, ...]:
    """A name's words as the features' tokens are (the engine's plain fold, lower case)."""
    return tuple(TOKEN.findall(normalise(text).plain.text))


def _possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "s'")) and len(word) > 3 else word


@dataclass(frozen=True)
class Masks:
    """An organisation's masked names, by first word; see the module docstring."""

    entries: Mapping[str, tuple[Entry, ...]]
    own_digits: frozenset[str] = frozenset()
    own_emails: frozenset[str] = frozenset()
    own_domains: tuple[str, ...] = ()
    # A post only one person holds, the organisation's own roles first (``posts``).
    posts: re.Pattern[str] = re.compile(posts_source())

    def post(self, words: list[str], position: int) -> int | None:
        """How many words from ``words[position]`` name a post after a determiner ("the
        provost", "our useless council leader") or at the start of the text, or None."""
        before = words[position - 1] if position else ""
        if (
            position
            and before not in DETERMINERS
            and not (before in QUALIFIERS and position > 1 and words[position - 2] in DETERMINERS)
        ):
            return None
        joined = " ".join(words[position : position + 12])
        found = self.posts.match(joined)
        after = joined[found.end() : found.end() + 60] if found else ""
        if found is None or names_nobody(found.group(), after, opens=not position):
            return None
        return len(joined[: found.end()].split())

    def match(
        self, words: list[str], position: int, capitalised: Callable[[int, int], bool]
    ) -> tuple[int, str] | None:
        """(how many words, mask) of the entry that starts at ``words[position]``, or None.
        ``capitalised(i, when)`` says whether word ``i`` is capitalised as ``when`` asks
        (``capitalised_as_posted``); it is asked only of entries that need it."""
        word = words[position]
        post = self.post(words, position)
        if post is not None:
            return post, STAFF_WORD
        found = self.entries.get(word)
        if found is None and (base := _possessive(word)) != word:
            found = self.entries.get(base)
        if found is None:
            if (
                position
                and words[position - 1] in _COUNCIL_TITLES
                and word.isalpha()
                and capitalised(position, CAPITALISED)
            ):
                return 1, STAFF_WORD
            return None
        titled = position > 0 and words[position - 1] in _TITLES
        for names, mask, when in found:
            size = len(names)
            if size > 1:
                window = words[position : position + size]
                if (
                    len(window) != size
                    or tuple(window[:-1]) != names[:-1]
                    or names[-1] not in (window[-1], _possessive(window[-1]))
                ):
                    continue
            if when == NAMED and titled:
                return size, mask
            if when != ALWAYS and not capitalised(position, when):
                continue
            return size, mask
        return None


def _add(entries: dict[str, list[Entry]], names: tuple[str, ...], mask: str, when: int) -> None:
    if names and all(names):
        listed = entries.setdefault(names[0], [])
        if not any(existing[0] == names for existing in listed):
            listed.append((names, mask, when))


def _strings(value: Any) -> list[str]:
    """Names from a list of strings or of {"name": ...} objects."""
    found = []
    for entry in value if isinstance(value, list | tuple) else ():
        name = entry.get("name") if isinstance(entry, Mapping) else entry
        if isinstance(name, str) and name.strip():
            found.append(name.strip())
    return found


def _people(entries: dict[str, list[Entry]], names: Iterable[str], mask: str) -> None:
    for name in names:
        words = words_of(name)
        if not words:
            continue
        _add(entries, words, mask, ALWAYS if len(words) > 1 else NAMED)
        if len(words) > 1 and len(words[-1]) >= 3:
            _add(entries, (words[-1],), mask, NAMED)


def build_masks(settings: Mapping[str, Any] | None) -> Masks:
    """The masks of one organisation's settings (shaped like ``Organisation.engine_settings``);
    parties only, with no settings."""
    settings = settings if isinstance(settings, Mapping) else {}
    entries: dict[str, list[Entry]] = {}
    # Candidates first: a sitting councillor who stands again is named as a candidate.
    _people(entries, _strings(settings.get("candidates")), CANDIDATE_WORD)
    _people(entries, _strings(settings.get("staff_names")), STAFF_WORD)
    contacts = settings.get("own_contacts")
    contacts = contacts if isinstance(contacts, Mapping) else {}
    own_names = _strings(settings.get("own_names"))
    for name in own_names:
        words = words_of(name)
        if len(words) == 1:
            _add(entries, words, ORG_WORD, ALWAYS)  # a handle
        elif words:
            _add(entries, words, ORG_WORD, ALWAYS)
            for word in words:
                if word not in _GENERIC_NAME_WORDS and len(word) >= 4 and word.isalpha():
                    _add(entries, (word,), ORG_WORD, CAPITALISED)
    domains = [*_strings(settings.get("own_domains")), *_strings(contacts.get("domains"))]
    emails = _strings(contacts.get("emails"))
    for value in [*domains, *emails, *_strings(contacts.get("postcodes"))]:
        _add(entries, words_of(value), ORG_WORD, ALWAYS)
    for value in [*_strings(contacts.get("addresses")), *_strings(contacts.get("phones"))]:
        words = words_of(value)
        if len(words) >= 2:
            _add(entries, words, ORG_WORD, ALWAYS)
    for party in _UNAMBIGUOUS_PARTIES.split(";"):
        _add(entries, tuple(party.split()), PARTY_WORD, ALWAYS)
    for party in _AMBIGUOUS_PARTIES:
        _add(entries, (party,), PARTY_WORD, PARTY)
    digits = frozenset(
        only for phone in _strings(contacts.get("phones")) if (only := re.sub(r"\D", "", phone))
    )
    return Masks(
        # Longest first, so "green party" wins over "green".
        entries={
            first: tuple(sorted(listed, key=lambda entry: -len(entry[0])))
            for first, listed in sorted(entries.items())
        },
        own_digits=digits,
        own_emails=frozenset(email.lower() for email in emails),
        own_domains=tuple(sorted({domain.lower().lstrip(".") for domain in domains})),
        posts=re.compile(posts_source(staff_names_and_roles(settings)[1])),
    )


def capitalised_as_posted(original: str, start: int, end: int, when: int) -> bool:
    """Whether ``original[start:end]`` starts with a capital; for a surname (``NAMED``), also
    names a person as the staff rule reads it; for a party word (``PARTY``), also is not part
    of a place's name ("Copsey Green", "Reform Road")."""
    if end <= start or not original[start].isupper():
        return False
    if when == NAMED:
        # "McAllister's plan": a possessive names a person even at the start of a sentence.
        return original[end - 2 : end] in ("'s", "’s") or is_named(original, start, end)
    if when != PARTY:
        return True
    # "Kessel Green library": a capitalised word before a party word makes a place's name,
    # at the start of a sentence too.
    before = _WORD_BEFORE.search(original[max(0, start - 40) : start])
    if before is not None and before.group(1)[0].isupper():
        return before.group(1).lower() in PARTY_PREFIXES
    return not in_proper_noun(original, start, end)


NO_SETTINGS = build_masks(None)
