"""The fixed train/validation split of every corpus, as counts (never rows).

    python -m bench.splits [--datasets ../shared/datasets]

Prints, per source, the train and validation sizes, positives per category on each side, and a
digest of the validation keys, so a later run can show that the split has not moved. The split
itself is ``rules.training.splits`` (seed 0, 80/20, stratified; files with their own split keep
it; Stormfront and Fox News split by post and article).
"""

from __future__ import annotations

import argparse
import hashlib
from collections import Counter
from pathlib import Path

from rules.training.corpora import DEFAULT_DATASETS, available_sources, load_source
from rules.training.splits import split


def digest(uids: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(uids)).encode()).hexdigest()[:12]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    args = parser.parse_args(argv)
    print("| source | train | validation | validation digest | positives (train / validation) |")
    print("| --- | --- | --- | --- | --- |")
    for name in available_sources(args.datasets):
        train, validation = split(load_source(name, args.datasets))
        on_train = Counter(c for item in train for c in item.categories)
        on_validation = Counter(c for item in validation for c in item.categories)
        positives = ", ".join(
            f"{c} {on_train[c]:,} / {on_validation[c]:,}" for c in sorted(on_train | on_validation)
        )
        print(
            f"| {name} | {len(train):,} | {len(validation):,} | "
            f"{digest([i.uid for i in validation])} | {positives} |"
        )


if __name__ == "__main__":
    main()
