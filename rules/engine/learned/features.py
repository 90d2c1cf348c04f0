"""The learned stage's features: what a comment looks like to the linear classifiers.

One function, ``extract``, serves training and classifying alike, so the model sees exactly the
features it was trained on. It reads the engine's folded views of the text (``Document``), so
look-alike letters, invisible characters and leetspeak reach the model already folded.

Features, each a string; the prefix names its block (blocks are normalised separately):

* ``w:`` a word of the plain view ("w:council"); digits become ``0`` ("w:00000"), so numbers are
  known by their shape, not their value. Words the leetspeak and spacing fold changed are added
  from the first words view ("f u c k" also gives ``w:fuck``), but not a mention: "@USER" is
  ``x:mention``, not the word "auser" the fold makes of it.
* ``b:`` two consecutive words ("b:county hall").
* ``w:<name>``: a word capitalised as posted inside a sentence (a person or a place), also in
  pairs with its neighbours ("b:cllr <name>", "b:<name> is"): names are what staff criticism,
  personal data and allegations are about, and folding loses the capitals.
* ``x:`` properties of the whole text: a link, an email address, a long number, money,
  shouting, a mention, a hashtag, an opening that addresses someone (``x:addressed``: "Hi
  Shaz, we cover…", "@Joy Heard …", usually an answer to that person); and of each link: its
  top-level domain, host labels, path words, an IP address as host, many hyphens or dots in
  the host.
* ``c:`` character 2- to 5-grams inside each word, padded with a space at each end (like
  scikit-learn's ``char_wb``): they carry misspellings, inflections and disguised words.

Words that name a protected group ("Muslims", "Polish", "refugees") are masked as one word,
``<group>``, with no character grams: hateful and neutral sentences alike name groups, and the
public hate sets name some groups far more often in hateful rows than others, so a model that
saw the words themselves learnt that "mosque" or "Romanian" alone is evidence of hate. Masked,
the model learns what is said of a group ("b:<group> are", "b:deport <group>"), the same for
every group, including those the training data hardly names. Cues of counter-speech are
properties of the text (``x:condemned``, ``x:reported``, ``x:quoted``, ``x:group_negated``).

The organisation's people, parties and contacts are masked the same way (``masks.py``:
``<staff>``, ``<candidate>``, ``<party>``, ``<org>``), from the settings the engine reads the
comment with; the organisation's own email, phone number or site is ``x:own_contact`` (and
``x:own_url``), not ``x:email``, ``x:long_number`` or a link's host words.

Every feature occurrence names the token it came from (or -1), so a score can be explained by
the words that drove it, as character spans of the original text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rules.engine.detectors.hate import CONDEMNED, REPORTED_BEFORE
from rules.engine.detectors.links import urls_of
from rules.engine.detectors.profanity import data_text, innocent_phrases
from rules.engine.document import Document
from rules.engine.learned.masks import (
    CANDIDATE_WORD,
    NO_SETTINGS,
    ORG_WORD,
    PARTY_WORD,
    STAFF_WORD,
    TOKEN,
    Masks,
    capitalised_as_posted,
)
from rules.engine.normalise import View

WORD_BLOCK, CHAR_BLOCK = 0, 1
CHAR_SIZES = (2, 3, 4, 5)
MAX_TOKENS = 400  # a longer comment is judged on its first 400 words
MAX_WORD_CHARS = 40  # and a longer "word" (a pasted blob) on its first 40 characters
MAX_URLS = 20

_DIGIT = re.compile(r"\d")
_LONG_NUMBER = re.compile(r"(?:\d[\s-]?){9,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONEY = re.compile(r"[£$€]\s?\d|\d\s?(?:k|m|bn|million|billion|pounds|quid)\b")
# A comment that opens by addressing someone: an @mention, or a greeting or thanks and a
# capitalised name ("Hi Shaz, we cover Saltby", "Thanks Nick!"), answers a person, usually
# their question or request for a recommendation, not everyone ("Hi all", "Hello everyone").
_ADDRESSED = re.compile(
    r"^\s*(?:@\w|(?i:hi|hiya|hello|hey|thanks|thank you|cheers|morning|afternoon|evening)"
    r"[\s,]+(?!(?i:all|everyone|everybody|folks|guys|there|mate|people|team|neighbours)\b)"
    r"[A-Z][a-z'’]+\b)"
)
_MENTION = re.compile(r"(?:^|\s)@\w")
_HASHTAG = re.compile(r"(?:^|\s)#\w")
_UPPER = re.compile(r"[A-Z]")
_SENTENCE_END = ".!?\n:;\"'()"
NAME_WORD = "<name>"
NAME = "w:" + NAME_WORD
_LETTER = re.compile(r"[A-Za-z]")
GROUP_WORD = "<group>"
GROUP_WORDS = frozenset(
    line.strip()
    for line in data_text("protected_group_words.txt").splitlines()
    if line.strip() and not line.startswith("#")
)
MASK_WORDS = frozenset({GROUP_WORD, STAFF_WORD, CANDIDATE_WORD, PARTY_WORD, ORG_WORD})
NAME_MASKS = MASK_WORDS - {GROUP_WORD}
_NOT_DIGIT = re.compile(r"\D")
_NEGATION = frozenset({"not", "never", "isn't", "aren't", "wasn't", "weren't", "nor"})
# Words in quotation marks (not an apostrophe inside a word): a quoted phrase.
QUOTED = re.compile(r"(?:^|[\s(:])[\"“‘'](?=\w)[^\"“”‘’\n]{2,120}?\w[.!?]?[\"”’'](?=$|[\s.,!?;:)])")


class Token:
    """A word and where it is: a span of one of the document's views. (A plain class with
    slots: a comment has dozens, and a frozen dataclass is several times slower to make.)"""

    __slots__ = ("end", "shown", "start", "text", "view")

    def __init__(self, text: str, view: View, start: int, end: int, shown: str = "") -> None:
        self.text = text
        self.view = view
        self.start = start
        self.end = end
        # The word as an explanation names it (a masked group word's own word).
        self.shown = shown or text

    def original_span(self) -> tuple[int, int]:
        return self.view.to_original(self.start, self.end)


@dataclass(frozen=True)
class Extracted:
    """A text's feature occurrences.

    ``tokens[i]`` contributes its word's own features (``word_features(tokens[i].text)``: the
    word and its character grams); ``extra`` holds the rest (word pairs, names, properties of
    the text) and ``extra_owners`` the token each came from (-1: the whole text). ``features``
    and ``owners`` list every occurrence flat, for training and explaining; the model's hot
    path reads the words and ``extra`` directly, so that a word's features are looked up
    once per word, not once per character gram.
    """

    tokens: list[Token]
    extra: list[str]
    extra_owners: list[int]

    @property
    def words(self) -> list[str]:
        return [token.text for token in self.tokens]

    @property
    def features(self) -> list[str]:
        found = [feature for token in self.tokens for feature in word_features(token.text)]
        return found + self.extra

    @property
    def owners(self) -> list[int]:
        found = [
            index
            for index, token in enumerate(self.tokens)
            for _ in range(len(word_features(token.text)))
        ]
        return found + self.extra_owners


# A word's own features (the word and its character grams), kept for words seen before:
# most words of a comment are common ones, and this is most of the stage's time.
_WORD_FEATURES: dict[str, tuple[str, ...]] = {}
_WORD_CACHE_SIZE = 200_000


def word_features(word: str) -> tuple[str, ...]:
    """A word's own features: the word, and its character 2- to 5-grams."""
    found = _WORD_FEATURES.get(word)
    if found is None and word in MASK_WORDS:
        found = ("w:" + word,)
        _WORD_FEATURES[word] = found
    if found is None:
        padded = f" {word} "
        size = len(padded)
        found = (
            "w:" + word,
            *(
                "c:" + padded[start : start + n]
                for n in CHAR_SIZES
                if n <= size
                for start in range(size - n + 1)
            ),
        )
        if len(_WORD_FEATURES) >= _WORD_CACHE_SIZE:
            _WORD_FEATURES.clear()
        _WORD_FEATURES[word] = found
    return found


def _shape(word: str) -> str:
    if word.isalpha():
        return word
    return _DIGIT.sub("0", word) if _DIGIT.search(word) else word


def _tokens(view: View, masks: Masks, original: str) -> list[Token]:
    found: list[Token] = []
    matches = list(itertools.islice(TOKEN.finditer(view.text), MAX_TOKENS + 8))
    words = [match.group() for match in matches]

    def capitalised(position: int, when: int) -> bool:
        span = view.to_original(matches[position].start(), matches[position].end())
        return capitalised_as_posted(original, *span, when)

    position = 0
    while position < len(words) and len(found) < MAX_TOKENS:
        match = matches[position]
        word = words[position]
        if word in GROUP_WORDS:
            found.append(Token(GROUP_WORD, view, match.start(), match.end(), word))
            position += 1
            continue
        masked = masks.match(words, position, capitalised)
        if masked is not None:
            size, mask = masked
            end = matches[position + size - 1].end()
            found.append(Token(mask, view, match.start(), end, view.text[match.start() : end]))
            position += size
            continue
        if len(word) > MAX_WORD_CHARS:
            word = word[:MAX_WORD_CHARS]
        found.append(Token(_shape(word), view, match.start(), match.end()))
        position += 1
    return found


def _text_features(doc: Document, text: str, masks: Masks) -> list[str]:
    found = []
    original = doc.original
    own = False
    if "@" in text:
        emails = {email.lower() for email in _EMAIL.findall(text)}
        if emails - masks.own_emails:
            found.append("x:email")
        own = own or bool(emails & masks.own_emails)
        if _MENTION.search(text):
            found.append("x:mention")
    if _ADDRESSED.match(original):
        found.append("x:addressed")
    if "#" in text and _HASHTAG.search(text):
        found.append("x:hashtag")
    numbers = {_NOT_DIGIT.sub("", number) for number in _LONG_NUMBER.findall(text)}
    if numbers - masks.own_digits:
        found.append("x:long_number")
    own = own or bool(numbers & masks.own_digits)
    if _MONEY.search(text):
        found.append("x:money")
    letters = len(_LETTER.findall(original[:500]))
    if letters >= 12 and len(_UPPER.findall(original[:500])) > 0.6 * letters:
        found.append("x:shouting")
    if original.count("!") >= 3:
        found.append("x:exclamations")
    if CONDEMNED.search(text):
        found.append("x:condemned")
    if REPORTED_BEFORE.search(text):
        found.append("x:reported")
    if QUOTED.search(original):
        found.append("x:quoted")
    for url in urls_of(doc)[:MAX_URLS]:
        host = url.host
        if any(host == domain or host.endswith("." + domain) for domain in masks.own_domains):
            # The organisation's own site: its words say nothing about a scam.
            own = True
            found.append("x:own_url")
            continue
        found.append("x:url")
        labels = [label for label in host.split(".") if label]
        if labels:
            found.append("x:tld:" + labels[-1])
            found.extend("x:host:" + label for label in labels[:-1][-3:])
            if len(labels) >= 4:
                found.append("x:many_labels")
        if host.count("-") >= 2:
            found.append("x:hyphenated_host")
        if host.replace(".", "").isdigit():
            found.append("x:ip_host")
        if url.has_credentials:
            found.append("x:credentials")
        found.extend("x:path:" + word for word in TOKEN.findall(url.path)[:8])
    if own:
        found.append("x:own_contact")
    return found


def extract(doc: Document, masks: Masks = NO_SETTINGS) -> Extracted:
    """Every feature occurrence of one text, with the names of ``masks`` (an organisation's
    people, parties and contacts) masked."""
    plain = doc.plain
    original = doc.original
    tokens = _tokens(plain, masks, original)
    words_views = doc.words
    if words_views[0] is not plain:
        seen = {token.text for token in tokens}
        # A fold must not bring a masked name back ("@WealdmoorBC" read as "awealdmoorbc").
        masked = [t.original_span() for t in tokens if t.text in NAME_MASKS]
        tokens.extend(
            token
            for token in _tokens(words_views[0], masks, original)
            if token.text not in seen
            and not (masked and _overlaps(token, masked))
            and not _is_mention(token, original)
        )
    innocent = innocent_phrases().spans(words_views)
    if innocent:
        # Dishes, places and sayings that contain a rude word ("faggots and peas",
        # "Penistone") are not evidence of anything: their words are left out.
        tokens = [token for token in tokens if not _inside(token, innocent)]
    plain_count = sum(1 for token in tokens if token.view is plain)
    named = _name_like(doc, tokens[:plain_count])
    features: list[str] = []
    owners: list[int] = []
    previous = ""
    grouped = -4
    for index, token in enumerate(tokens[:plain_count]):
        word = token.text
        if word == GROUP_WORD:
            grouped = index
        elif word in _NEGATION and index - grouped <= 3:
            # "Muslims are not terrorists": a negation shortly after a group is named.
            features.append("x:group_negated")
            owners.append(index)
        if named[index]:
            # A capitalised word inside a sentence is likely a name: a person, a place.
            features.append(NAME)
            owners.append(index)
            if previous:
                features.append(f"b:{previous} {NAME_WORD}")
                owners.append(index)
        if previous:
            features.append(f"b:{previous} {word}")
            owners.append(index)
            if named[index - 1]:
                features.append(f"b:{NAME_WORD} {word}")
                owners.append(index)
        previous = word
    extra = _text_features(doc, plain.text, masks)
    features.extend(extra)
    owners.extend([-1] * len(extra))
    return Extracted(tokens, features, owners)


def _name_like(doc: Document, tokens: list[Token]) -> list[bool]:
    """Whether each token is capitalised as posted (not all capitals) and not the first word
    of a sentence."""
    original = doc.original
    found = []
    for index, token in enumerate(tokens):
        start = token.start if token.view.index is None else token.original_span()[0]
        first = original[start : start + 1]
        if not first.isupper() or index == 0 or token.text in MASK_WORDS:
            found.append(False)
            continue
        word = original[start : start + len(token.text)]
        before = original[max(0, start - 3) : start].rstrip()
        found.append(not word.isupper() and not (before and before[-1] in _SENTENCE_END))
    return found


def _is_mention(token: Token, original: str) -> bool:
    """Whether a folded word is a mention read as a word ("@USER" folded to "auser"): a
    mention is ``x:mention``, and the tweet sets' placeholder as a word was evidence of hate."""
    start = token.original_span()[0]
    return original[start : start + 1] == "@"


def _overlaps(token: Token, spans: list[tuple[int, int]]) -> bool:
    start, end = token.original_span()
    return any(s < end and start < e for s, e in spans)


def _inside(token: Token, spans: list[tuple[int, int]]) -> bool:
    start, end = token.original_span()
    return any(s <= start and end <= e for s, e in spans)


def block_of(feature: str) -> int:
    """Which normalisation block a feature belongs to."""
    return CHAR_BLOCK if feature.startswith("c:") else WORD_BLOCK
