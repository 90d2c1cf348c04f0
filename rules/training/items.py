"""One labelled text of one source (``Item``), the unit every loader, split and trainer shares."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Item:
    """One labelled text of one source."""

    source: str
    uid: str
    text: str
    labels: Mapping[str, bool]
    author: str = ""
    # Comments fed to one repetition tracker, in ``order`` (a video's comments, a council file).
    stream: str = ""
    order: int = 0
    # Split key: items of one group (a forum thread, a news article) fall on one side.
    group: str = ""
    # The file's own split ("train", "validation", "test"), where it has one.
    fixed_split: str = ""
    # Organisation key of a council comment (its settings are in the file's .orgs.json).
    org: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def positive(self, category: str) -> bool:
        return bool(self.labels.get(category))

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for c, v in self.labels.items() if v)


def csv_rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter)
