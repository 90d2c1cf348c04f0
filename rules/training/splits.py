"""Fixed train/validation splits of every corpus (seed 0, 80/20, stratified).

Fixed before any detector was scored on the data, and never tuned: rules, models and thresholds
are fitted on ``train`` only; ``validation`` is read only as aggregate figures.

* A file with its own split keeps it: its validation and test rows are validation here.
* Grouped sources (Stormfront posts, Fox News articles, UK personal-data records) are split by
  group, so sentences of one thread never straddle the split; groups are stratified by whether
  they hold a positive.
* Every other source is split item by item, stratified by the item's rarest positive category
  (or "clean").

The order inside a stratum is the SHA-256 of ``"<seed>|<source>|<key>"``: a seeded shuffle that
does not depend on Python's hash seed or on the order the loader yields items.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rules.training.corpora import Item

SEED = 0
VALIDATION_SHARE = 0.2
TRAIN, VALIDATION = "train", "validation"


def _rank(source: str, key: str, seed: int = SEED) -> str:
    return hashlib.sha256(f"{seed}|{source}|{key}".encode()).hexdigest()


def _take(keys: Sequence[str], source: str, share: float) -> set[str]:
    ordered = sorted(keys, key=lambda key: _rank(source, key))
    return set(ordered[: round(share * len(ordered))])


def _stratum(item: Item, frequency: Counter[str]) -> str:
    positives = [c for c in item.categories if frequency[c]]
    if not positives:
        return "clean"
    return min(positives, key=lambda c: (frequency[c], c))


def validation_uids(items: Sequence[Item], share: float = VALIDATION_SHARE) -> set[str]:
    """The uids of one source's validation items."""
    if not items:
        return set()
    source = items[0].source
    if any(item.fixed_split for item in items):
        return {item.uid for item in items if item.fixed_split not in ("", TRAIN)}
    if any(item.group for item in items):
        groups: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            groups[item.group or item.uid].append(item)
        strata: dict[str, list[str]] = defaultdict(list)
        for key, members in groups.items():
            strata["positive" if any(m.categories for m in members) else "clean"].append(key)
        chosen = set().union(*(_take(keys, source, share) for keys in strata.values()))
        return {item.uid for item in items if (item.group or item.uid) in chosen}
    frequency: Counter[str] = Counter(c for item in items for c in item.categories)
    by_stratum: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_stratum[_stratum(item, frequency)].append(item.uid)
    return set().union(*(_take(uids, source, share) for uids in by_stratum.values()))


def split(items: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """(train, validation) of one source's items, each in the source's order."""
    chosen = validation_uids(items)
    return (
        [item for item in items if item.uid not in chosen],
        [item for item in items if item.uid in chosen],
    )


def split_all(sources: Iterable[tuple[str, Sequence[Item]]]) -> dict[str, tuple[list, list]]:
    """Each source's (train, validation)."""
    return {name: split(items) for name, items in sources}
