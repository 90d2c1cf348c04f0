"""Near-duplicate text, and remembering recent comments to judge repetition.

The policies forbid "the same message, or very similar messages, more than once" and
"repeatedly sharing content". Two texts are compared by the Jaccard similarity of their
shingles, the words and pairs of consecutive words after folding (case, look-alikes,
leetspeak, spacing, punctuation and emoji all ignored), so "Visit my page!!" and "visit my
PAGE 👉" are the same, and a twenty-word copy with three words changed still scores about
0.7.

``RepetitionTracker`` keeps a bounded window of recent comments (used by ``classify``, which
judges repetition across the lines of its input) and builds the ``Context`` the spam detector
reads. To compare a new comment only with plausible near-duplicates rather than the whole
window, each remembered comment is indexed by a bottom-k sketch (the k smallest shingle
hashes): near-duplicates share most of their smallest hashes, unrelated texts few.
"""

from __future__ import annotations

import math
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise

from rules.engine.normalise import normalise
from rules.engine.types import Context

# Shingles are words and pairs of consecutive words; a text shorter than this is one shingle.
SHINGLE_SIZE = 2
# Each remembered comment is indexed by its SKETCH_SIZE smallest shingle hashes; a candidate
# near-duplicate must share at least MIN_SHARED of them. Two texts share about J × 8 of their
# bottom-8 sketches (J their similarity), so copies (J ≥ 0.8) almost always share 3, and texts
# that merely have phrases in common rarely do.
SKETCH_SIZE = 8
MIN_SHARED = 3
MAX_AUTHOR_TEXTS = 50
MAX_CANDIDATES = 50
_MAX_FINGERPRINT_CHARS = 20_000
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text folded for comparison: its words and its shingle hashes.

    ``order`` is the shingles in one fixed order for every text, word pairs (rarer) before
    single words, each by hash value; ``prefixes`` caches, per threshold, the first few of
    that order that any text similar enough must share with this one (see ``_prefix``).
    """

    words: str
    word_count: int
    shingles: frozenset[int]
    order: tuple[int, ...]  # required: a fingerprint without it would match nothing
    prefixes: dict[float, frozenset[int]] = field(default_factory=dict, compare=False, hash=False)


# Fingerprints of recent texts, by text: the same texts recur in the contexts of the comments
# after them. When full, the older half is forgotten (a dict keeps insertion order), which
# suits a sliding window of recent comments as well as least-recently-used would.
_FINGERPRINTS: dict[str, Fingerprint] = {}
_FINGERPRINTS_KEPT = 8192
# For each threshold, what `most_similar` reads of a recent text, by text: its size, its
# prefix, its shingles and its words in one tuple, so that each of the many candidates a
# busy channel's evaluation screens costs one dictionary lookup, not five. Texts are forgotten
# here when their fingerprints are.
Screen = tuple[int, frozenset[int], frozenset[int], str]
_SCREENS: dict[float, dict[str, Screen]] = {}


def forget_fingerprints() -> None:
    """Forget every remembered fingerprint (for benchmarks that time a cold start)."""
    _FINGERPRINTS.clear()
    _SCREENS.clear()


def fingerprint(text: str, folded: str | None = None) -> Fingerprint:
    """The comparison fingerprint of a text (remembered for the texts seen last).

    ``folded`` is the text's words view when the caller has it already (the document being
    evaluated), so that the text is not folded twice.
    """
    found = _FINGERPRINTS.get(text)
    if found is None:
        if folded is None or len(text) > _MAX_FINGERPRINT_CHARS:
            folded = normalise(text[:_MAX_FINGERPRINT_CHARS]).words[0].text
        found = _fingerprint_of_folded(folded)
        if len(_FINGERPRINTS) >= _FINGERPRINTS_KEPT:
            for old in list(islice(_FINGERPRINTS, _FINGERPRINTS_KEPT // 2)):
                _FINGERPRINTS.pop(old, None)  # another thread may have forgotten it already
                for screens in list(_SCREENS.values()):
                    screens.pop(old, None)
        _FINGERPRINTS[text] = found
    return found


def _fingerprint_of_folded(folded: str) -> Fingerprint:
    tokens = _TOKEN.findall(folded)
    words = " ".join(tokens)
    if len(tokens) < SHINGLE_SIZE:
        shingles = frozenset({hash(words)}) if words else frozenset()
        return Fingerprint(words, len(tokens), shingles, tuple(shingles))
    # Words and word pairs: pairs keep the order, single words forgive small edits.
    pairs = set(map(hash, pairwise(tokens)))
    singles = set(map(hash, tokens)) - pairs
    order = (*sorted(pairs), *sorted(singles))
    return Fingerprint(words, len(tokens), frozenset(order), order)


def _prefix(print_: Fingerprint, threshold: float) -> frozenset[int]:
    """The shingles of ``print_`` that every text at least ``threshold`` similar shares one of.

    Prefix filtering (Chaudhuri et al., 2006; Bayardo et al., 2007): if the Jaccard similarity
    of x and y is at least t, they share at least ⌈t·|x|⌉ shingles, so among the first
    |x| − ⌈t·|x|⌉ + 1 of x (in any order fixed for every text) and likewise of y, at least one
    is the same. Texts whose prefixes are disjoint cannot reach t and need no intersection.
    Putting word pairs first makes the prefixes mostly pairs, which unrelated texts rarely
    share, so most comparisons stop at a small disjointness test.
    """
    prefix = print_.prefixes.get(threshold)
    if prefix is None:
        size = len(print_.order)
        keep = size - math.ceil(threshold * size - 1e-9) + 1  # the slack keeps it exact
        prefix = print_.prefixes[threshold] = frozenset(print_.order[:keep])
    return prefix


def similarity(first: Fingerprint, second: Fingerprint) -> float:
    """Jaccard similarity of two fingerprints' shingles, from 0.0 to 1.0."""
    if not first.shingles or not second.shingles:
        return 0.0
    if first.words == second.words:
        return 1.0
    shared = len(first.shingles & second.shingles)
    return shared / (len(first.shingles) + len(second.shingles) - shared)


def most_similar(text: str, others: Sequence[str], threshold: float = 0.0) -> tuple[float, int]:
    """The best similarity of ``text`` to any of ``others`` and how many reach it.

    Texts that cannot reach ``threshold`` (by their size, or by their prefixes) are not
    compared, so a best score below the threshold is only a lower bound; one at or above it
    is exact, and so is its count.
    """
    mine = fingerprint(text)
    shingles, words, size = mine.shingles, mine.words, len(mine.shingles)
    if not size:
        return 0.0, 0
    # Jaccard similarity can be no more than the ratio of the two sets' sizes, so texts whose
    # size is outside these bounds cannot reach the threshold. (This loop runs for every
    # comment against dozens of others: `similarity` is inlined here.)
    smallest = threshold * size
    largest = size / threshold if threshold else float("inf")
    prefix = _prefix(mine, threshold) if threshold > 0 else shingles
    screens = _SCREENS.get(threshold)
    if screens is None:
        screens = _SCREENS.setdefault(threshold, {})
    best = 0.0
    count = 0
    for other in others:
        try:
            screen = screens.get(other)
        except TypeError:  # not text (unhashable)
            continue
        if screen is None:
            if not isinstance(other, str):
                continue
            screen = _screen(other, threshold)
        other_size, their_prefix, their_shingles, their_words = screen
        if not other_size or other_size < smallest or other_size > largest:
            continue
        if prefix.isdisjoint(their_prefix):
            continue
        if their_words == words:
            score = 1.0
        else:
            shared = len(shingles & their_shingles)
            score = shared / (size + other_size - shared)
        if score > best + 1e-9:
            best, count = score, 1
        elif score > 0 and abs(score - best) <= 1e-9:
            count += 1
    return best, count


def _screen(text: str, threshold: float) -> Screen:
    """What `most_similar` reads of ``text`` at ``threshold``, remembered with its fingerprint."""
    print_ = fingerprint(text)
    prefix = _prefix(print_, threshold) if threshold > 0 else print_.shingles
    screen = (len(print_.shingles), prefix, print_.shingles, print_.words)
    if text in _FINGERPRINTS:  # (unless another thread has just forgotten it)
        _SCREENS.setdefault(threshold, {})[text] = screen
    return screen


def _sketch(print_: Fingerprint) -> tuple[int, ...]:
    return tuple(sorted(print_.shingles)[:SKETCH_SIZE])


@dataclass(slots=True)
class _Remembered:
    author: str
    text: str
    sketch: tuple[int, ...]


class RepetitionTracker:
    """Remembers the last ``window`` comments and builds each new comment's ``Context``.

    Memory is bounded by ``window``: the oldest comment is forgotten, with its index entries,
    when a new one is remembered. A flood is a burst, so ``author_recent_count`` counts the
    author's comments among only the last ``flood_window`` comments (the tracker has no clock;
    a caller that has timestamps counts by time instead). An empty author means "unknown":
    unknown comments are compared as other people's, never counted as one person's flood.
    """

    def __init__(self, window: int = 500, flood_window: int = 30) -> None:
        self.window = max(1, int(window))
        self.flood_window = max(1, min(int(flood_window), self.window))
        self._items: dict[int, _Remembered] = {}
        self._order: deque[int] = deque()
        self._by_author: dict[str, deque[int]] = {}
        self._by_hash: dict[int, set[int]] = {}
        self._next_id = 0

    def __len__(self) -> int:
        return len(self._order)

    def context_for(self, text: str, author: str = "") -> Context:
        """A context holding this author's recent comments and others' near-duplicates."""
        author = author or ""
        sketch = _sketch(fingerprint(text if isinstance(text, str) else str(text)))
        shared: Counter[int] = Counter()
        for value in sketch:
            shared.update(self._by_hash.get(value, ()))
        needed = min(MIN_SHARED, len(sketch))
        own_ids = self._by_author.get(author, deque()) if author else deque()
        others = [
            self._items[item_id].text
            for item_id in sorted(item for item, count in shared.items() if count >= needed)
            if not author or self._items[item_id].author != author
        ][-MAX_CANDIDATES:]
        return Context(
            author_handle=author,
            author_recent_texts=tuple(self._items[i].text for i in own_ids)[-MAX_AUTHOR_TEXTS:],
            others_recent_texts=tuple(others),
            author_recent_count=self._recent_count(own_ids),
        )

    def _recent_count(self, own_ids: deque[int]) -> int:
        """How many of the author's comments are among the last ``flood_window`` comments."""
        if not own_ids or not self._order:
            return 0
        oldest_recent = self._order[-min(self.flood_window, len(self._order))]
        count = 0
        for item_id in reversed(own_ids):
            if item_id < oldest_recent:
                break
            count += 1
        return count

    def remember(self, text: str, author: str = "") -> None:
        """Add a comment to the window, forgetting the oldest if the window is full."""
        author = author or ""
        text = text if isinstance(text, str) else str(text)
        item_id = self._next_id
        self._next_id += 1
        sketch = _sketch(fingerprint(text))
        self._items[item_id] = _Remembered(author, text, sketch)
        self._order.append(item_id)
        if author:
            self._by_author.setdefault(author, deque()).append(item_id)
        for value in sketch:
            self._by_hash.setdefault(value, set()).add(item_id)
        while len(self._order) > self.window:
            self._forget(self._order.popleft())

    def _forget(self, item_id: int) -> None:
        item = self._items.pop(item_id)
        if item.author:
            ids = self._by_author[item.author]
            ids.popleft()
            if not ids:
                del self._by_author[item.author]
        for value in item.sketch:
            bucket = self._by_hash.get(value)
            if bucket is not None:
                bucket.discard(item_id)
                if not bucket:
                    del self._by_hash[value]
