"""Folding comment text for detection, with every folded span mapped back to the original.

Comment text is hostile: people dodge word lists with look-alike letters (Cyrillic "а",
fullwidth "ｆ", mathematical "𝐟"), invisible characters ("f\u200bu\u200bck"), accents ("fück"),
leetspeak ("sh1t"), spacing ("f u c k", "f.u.c.k") and stretching ("fuuuuck"). Detectors match
folded views of the text and report spans in the original, so an officer sees the words as
posted.

Two kinds of view:

* the *plain* view (``Normalised.text``): NFKC, case folding, confusables, accents stripped,
  invisible and control characters removed. Digits and symbols are kept, so personal-data,
  link and money patterns can use it.
* the *words* views (``Normalised.words``): the plain view with leetspeak folded inside words,
  spaced letters joined and runs of three or more letters collapsed. A run collapses to one
  letter in one view and to two in another ("fuuuck" -> "fuck", "asssss" -> "ass"), and only
  when the text has such a run, so "good" never becomes "god". When letters are joined, the
  unjoined text is a view too, since text-speak ("u r a numpty") is spaced letters as well.
  Most texts need none of this and have one words view, the plain view itself.

Speed matters (tens of thousands of comments a second): plain ASCII text takes a fast path with
no offset table at all, and the per-character work for other text is memoised in a
``str.translate`` table, so it runs at C speed after the first sight of each character.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable
from functools import cached_property

from rules.engine.scan import Pattern, Target

# Text beyond this many characters is not analysed (spans stay valid: it is a prefix).
MAX_ANALYSED_CHARS = 2_000_000

# Look-alike letters that NFKC leaves alone. Upper-case Greek and Cyrillic are listed because
# they fold to lower-case letters that look different ("Η" looks like H, "η" like n).
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ѡ": "w", "ӏ": "l", "ь": "b",
    "г": "r", "п": "n", "ɡ": "g",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p",
    "С": "c", "Т": "t", "Х": "x", "У": "y", "Ѕ": "s", "І": "i", "Ј": "j", "Ԛ": "q",
    "Ԝ": "w", "Ү": "y", "Ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "μ": "u", "ς": "s",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Armenian
    "օ": "o", "ս": "u", "ո": "n", "հ": "h",
    # Latin look-alikes and small capitals
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h",
    "ŧ": "t", "ƒ": "f", "æ": "ae", "œ": "oe",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ǫ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y",
    "ᴢ": "z",
    # Inverted punctuation used as letters; typographic quotes as typed ones
    "¡": "i", "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u201c": '"',
    "\u201d": '"', "\u2032": "'",
}  # fmt: skip
# Enclosed letters that NFKC does not decompose: regional indicators (flag letters) and the
# negative circled / squared capitals.
for _first in (0x1F1E6, 0x1F150, 0x1F170, 0x1F130):
    for _offset in range(26):
        _CONFUSABLES.setdefault(chr(_first + _offset), chr(ord("a") + _offset))

# Inside a word, digits and symbols that stand for letters. Only unambiguous ones: "@" is
# "a" far more often than "o", "1" is "i" more often than "l" (the word lists' own
# variant classes cover the rest).
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "i",
        "+": "t",
        "€": "e",
    }
)
_LEET_CHARS = "0-9@$!|+€"
# A leet character touching a letter: where leetspeak can be. A "!" after a letter is
# punctuation ("great!"), so only a "!" before a letter counts ("sh!t").
_LEET_ADJACENT = re.compile(r"[a-z][0-9@$|+€]|[0-9@$!|+€][a-z]")
_LEET_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|+€")
_ASCII_LETTER = re.compile(r"[a-z]")
# A number with a unit or an ordinal is not leetspeak: "73rd", "10kg", "5pm", "2nd", "4x4".
_NUMBER_WITH_UNIT = re.compile(
    r"^\d+(?:[.,]\d+)?(?:st|nd|rd|th|s|am|pm|k|m|kg|km|mm|cm|ml|g|mg|lb|lbs|mph|kph|p|x\d*|"
    r"hr|hrs|h|min|mins|yr|yrs|gb|mb|tb|v|w|kw|kwh|ft|in|yd|mi|l|ltr|pc|pcs|d)$"
)
_HAS_LEET = re.compile(rf"[{_LEET_CHARS}]")

# Three or more single letters (or leet characters) separated by short runs of spacing or
# punctuation: "f u c k", "f.u.c.k", "f-u-c-k", "f_u_c_k", "f . u . c . k".
_SPACED = re.compile(
    r"(?<![a-z0-9@$])[a-z0-9@$](?:[ .\-_~/\\|,:;*+!'\"]{1,3}[a-z0-9@$]){2,}(?![a-z0-9@$])"
)
_SPACED_LETTER = re.compile(r"[a-z0-9@$]")
_LETTER_RUN = re.compile(r"([a-z])\1{2,}")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_ONE = re.compile("[^\x01]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Below this many extra UTF-8 bytes (a few emoji), fold character by character.
_SPARSE_EXTRA_BYTES = 64
_SEPARATORS = r"[ .\-_~/\\|,:;*+!'\"]{1,3}"
# One RE2 pass deciding whether the words views need any of the (slower) rewriting steps: a
# necessary condition for each of them.
_WORDS_WORK = Pattern(
    "|".join(
        [
            rf"(?:^|[^a-z0-9@$])[a-z0-9@$]{_SEPARATORS}[a-z0-9@$]{_SEPARATORS}[a-z0-9@$]"
            r"(?:[^a-z0-9@$]|$)",
            r"[a-z][0-9@$|+€]|[0-9@$!|+€][a-z]",
            "_",
            *(letter * 3 for letter in "abcdefghijklmnopqrstuvwxyz"),
        ]
    )
)

_MAX_CACHED_CHARS = 65_536


def _fold_char(char: str) -> str:
    """Fold one character for detection; may return "", one character or several."""
    code = ord(char)
    if code < 128:
        if code < 32 or code == 127:
            return char if char in "\t\n\r" else ""
        return char.lower()
    mapped = _CONFUSABLES.get(char)
    if mapped is not None:
        return mapped
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp"):
        return " "
    if category == "Cc":
        return " " if char.isspace() else ""
    if category in ("Cf", "Cs", "Co", "Mn", "Me"):
        # Format characters (zero-width, bidi overrides, tags), lone surrogates, private use
        # and combining marks (accents, "zalgo", variation selectors) hide nothing we need.
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    pieces = []
    for piece in unicodedata.normalize("NFD", folded):
        if unicodedata.category(piece) in ("Mn", "Me"):
            continue
        pieces.append(_CONFUSABLES.get(piece, piece))
    return "".join(pieces)


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that folds each character on first sight and remembers it."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _MAX_CACHED_CHARS:
            self[code] = folded
        return folded


class _FoldLengthTable(dict[int, str]):
    """A ``str.translate`` table giving, as a code point, how many characters each one folds to."""

    def __missing__(self, code: int) -> str:
        length = chr(len(_FOLD[code]))
        if len(self) < _MAX_CACHED_CHARS:
            self[code] = length
        return length


_FOLD = _FoldTable()
_FOLD_LENGTH = _FoldLengthTable()


class View:
    """A folded version of the text, and how to map its spans back to the original.

    ``index[i]`` is the position in ``parent`` (or, with no parent, in the original) of the
    character that produced ``text[i]``; ``index`` is None when positions are unchanged.
    """

    __slots__ = ("_target", "index", "parent", "text")

    def __init__(
        self,
        text: str,
        parent: View | None = None,
        index: array[int] | list[int] | None = None,
    ) -> None:
        self.text = text
        self.parent = parent
        self.index = index
        self._target: Target | None = None

    @property
    def target(self) -> Target:
        """The view prepared for RE2 matching (encoded once, on first use)."""
        if self._target is None:
            self._target = Target(self.text)
        return self._target

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of this view to the span of the original text that produced it."""
        view: View | None = self
        while view is not None:
            index = view.index
            if index is not None and len(index):
                size = len(index)
                start = max(0, min(start, size))
                end = max(start, min(end, size))
                if end > start:
                    start, end = index[start], index[end - 1] + 1
                else:
                    start = end = index[start] if start < size else index[size - 1] + 1
            elif index is not None:
                start = end = 0
            view = view.parent
        return start, end


def _plain_view(text: str) -> View:
    if _ASCII_CONTROL.search(text) is None:
        if text.isascii():
            # The common case: nothing changes length, so there is no offset table at all.
            return View(text.lower())
        if len(text.encode("utf-8", "surrogatepass")) - len(text) <= _SPARSE_EXTRA_BYTES:
            return _sparse_plain_view(text)
    folded = text.translate(_FOLD)
    lengths = text.translate(_FOLD_LENGTH)
    if _NOT_ONE.search(lengths) is None:
        return View(folded)
    index: array[int] = array("q")
    position = 0
    for found in _NOT_ONE.finditer(lengths):
        at = found.start()
        index.extend(range(position, at))
        count = ord(lengths[at])
        if count:
            index.extend([at] * count)
        position = at + 1
    index.extend(range(position, len(text)))
    return View(folded, None, index)


def _sparse_plain_view(text: str) -> View:
    """The plain view of mostly-ASCII text: fold only its few other characters."""
    pieces = []
    changes: list[tuple[int, int]] = []
    position = 0
    for found in _NON_ASCII.finditer(text):
        at = found.start()
        pieces.append(text[position:at].lower())
        folded = _FOLD[ord(text[at])]
        pieces.append(folded)
        if len(folded) != 1:
            changes.append((at, len(folded)))
        position = at + 1
    pieces.append(text[position:].lower())
    if not changes:
        return View("".join(pieces))
    index: array[int] = array("q")
    position = 0
    for at, count in changes:
        index.extend(range(position, at))
        if count:
            index.extend([at] * count)
        position = at + 1
    index.extend(range(position, len(text)))
    return View("".join(pieces), None, index)


def _select(
    text: str, pattern: re.Pattern[str], keep: Callable[[re.Match[str]], list[int]]
) -> tuple[str, list[int]] | None:
    """Rewrite text keeping, inside each match, only the characters at the offsets ``keep``
    returns; return the new text and each new character's position in ``text``."""
    pieces: list[str] = []
    index: list[int] = []
    position = 0
    for found in pattern.finditer(text):
        start, end = found.span()
        pieces.append(text[position:start])
        index.extend(range(position, start))
        for offset in keep(found):
            pieces.append(text[start + offset])
            index.append(start + offset)
        position = end
    if position == 0:
        return None
    pieces.append(text[position:])
    index.extend(range(position, len(text)))
    return "".join(pieces), index


def _keep_spaced_letters(found: re.Match[str]) -> list[int]:
    return [letter.start() for letter in _SPACED_LETTER.finditer(found.group())]


def _keep_spaced_letters_after_article(found: re.Match[str]) -> list[int]:
    """Like ``_keep_spaced_letters``, but a leading "a" or "i" stays a word of its own
    ("what a t w a t" -> "what a twat"), keeping one separator after it."""
    letters = [letter.start() for letter in _SPACED_LETTER.finditer(found.group())]
    if len(letters) >= 4 and found.group()[0] in "ai":
        return [letters[0], letters[0] + 1, *letters[1:]]
    return letters


def _keep_one(found: re.Match[str]) -> list[int]:
    return [0]


def _keep_two(found: re.Match[str]) -> list[int]:
    return [0, 1]


def _fold_leet_token(token: str) -> str:
    if (
        _ASCII_LETTER.search(token) is None
        or _HAS_LEET.search(token) is None
        or _NUMBER_WITH_UNIT.match(token)
    ):
        return token
    # "hell!" is shouting, not "helli": a trailing "!" stays punctuation.
    core = token.rstrip("!")
    return core.translate(_LEET) + token[len(core) :]


def _fold_leet(text: str) -> str:
    """Fold leetspeak in the words where a leet character touches a letter (same length)."""
    pieces = []
    position = 0
    size = len(text)
    for found in _LEET_ADJACENT.finditer(text):
        if found.start() < position:
            continue
        start, end = found.start(), found.end()
        # Widen to the whole word; never back past the last word handled, so this is linear.
        while start > position and text[start - 1] in _LEET_WORD_CHARS:
            start -= 1
        while end < size and text[end] in _LEET_WORD_CHARS:
            end += 1
        pieces.append(text[position:start])
        pieces.append(_fold_leet_token(text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _folded_views(view: View) -> list[View]:
    """Leetspeak folded, then stretched letters collapsed (to one and to two letters)."""
    text = view.text
    if _LEET_ADJACENT.search(text) is not None or "_" in text:
        # Length-preserving, so the view shares its parent's positions.
        view = View(_fold_leet(text).replace("_", " "), view)
    text = view.text
    if _LETTER_RUN.search(text) is None:
        return [view]
    single = _select(text, _LETTER_RUN, _keep_one)
    double = _select(text, _LETTER_RUN, _keep_two)
    assert single is not None and double is not None
    return [View(single[0], view, single[1]), View(double[0], view, double[1])]


def _words_views(plain: View, *, alternatives: bool = True) -> tuple[View, ...]:
    if not _WORDS_WORK.search(plain.target):
        return (plain,)
    joined = _select(plain.text, _SPACED, _keep_spaced_letters)
    views = []
    if joined is not None:
        views.extend(_folded_views(View(joined[0], plain, joined[1])))
        if not alternatives:
            return tuple(views)
        apart = _select(plain.text, _SPACED, _keep_spaced_letters_after_article)
        if apart is not None and apart[0] != joined[0]:
            views.extend(_folded_views(View(apart[0], plain, apart[1])))
    # Joining also glues text-speak ("u r a numpty"), so the unjoined view is kept too.
    views.extend(_folded_views(plain))
    return tuple(views)


class Normalised:
    """The folded views of one text. ``text`` is the plain view; ``words`` the word-list views."""

    __slots__ = ("__dict__", "original", "plain")

    def __init__(self, original: str) -> None:
        self.original = original
        analysed = original[:MAX_ANALYSED_CHARS]
        self.plain = _plain_view(analysed)

    @property
    def text(self) -> str:
        """The plain folded text (NFKC, case-folded, confusables, no invisible characters)."""
        return self.plain.text

    @cached_property
    def words(self) -> tuple[View, ...]:
        """One or two views with leetspeak, spacing and stretched letters folded."""
        return _words_views(self.plain)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to the original."""
        return self.plain.to_original(start, end)


def normalise(text: str) -> Normalised:
    """Fold ``text`` for detection. Never raises on any string."""
    if not isinstance(text, str):
        text = str(text)
    return Normalised(text)


def fold_words(text: str) -> tuple[str, ...]:
    """The distinct words-view forms of a word-list entry. Spaced letters in an entry are
    always meant as one word ("s.h.i.t."), so only the joined forms are given."""
    plain = _plain_view(text if isinstance(text, str) else str(text))
    forms = [view.text for view in _words_views(plain, alternatives=False)]
    return tuple(dict.fromkeys(forms))
