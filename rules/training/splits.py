"""Fixed train/validation splits of every corpus (seed 0, 80/20, stratified).

Fixed before any detector was scored on the data, and never tuned: rules, models and thresholds
are fitted on ``train`` only; ``validation`` is read only as aggregate figures.

* A file with its own split keeps it: its validation and test rows are validation here.
* Grouped sources (Stormfront posts, Fox News articles, UK personal-data records) are split by
  group, so sentences of one thread never straddle the split.
* Every other source is split item by item.

An item (or group) is in validation when the SHA-256 of ``"<seed>|<source>|<key>"``, read as a
number in [0, 1), is below 0.2: a seeded draw that does not depend on Python's hash seed, on the
order the loader yields items, or on the rest of the file. That last property matters: the
council files grew while the work went on, and an item's side must never change as lines are
added. Each stratum (an item's rarest positive category, or "clean"; a group's having a
positive or not) is thereby split 80/20 in expectation; ``bench/splits.py`` prints the counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from rules.training.items import Item

SEED = 0
VALIDATION_SHARE = 0.2
TRAIN, VALIDATION = "train", "validation"


def draw(source: str, key: str, seed: int = SEED) -> float:
    """A number in [0, 1) fixed by the seed, the source and the item's (or group's) key."""
    digest = hashlib.sha256(f"{seed}|{source}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def validation_uids(items: Sequence[Item], share: float = VALIDATION_SHARE) -> set[str]:
    """The uids of one source's validation items."""
    if not items:
        return set()
    source = items[0].source
    if any(item.fixed_split for item in items):
        return {item.uid for item in items if item.fixed_split not in ("", TRAIN)}
    return {item.uid for item in items if draw(source, item.group or item.uid) < share}


def split(items: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """(train, validation) of one source's items, each in the source's order."""
    chosen = validation_uids(items)
    return (
        [item for item in items if item.uid not in chosen],
        [item for item in items if item.uid in chosen],
    )
