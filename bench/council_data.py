"""Copy the writers' council comment files into bench/data, checking every line first.

    python -m bench.council_data [--source /work/data]

Each ``council_train_<w>.jsonl`` must parse line by line, with unique ids, a non-empty text and
categories from the engine's list; its organisations' settings (``.orgs.json``) are copied
beside it. The copies are byte-for-byte the writers' files, so their sha256 (in the model
file's data list) names exactly what was trained on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

from rules.engine.types import CATEGORIES
from rules.training.corpora import COUNCIL_DIR, COUNCIL_WRITERS


def problems(path: Path) -> list[str]:
    found = []
    ids: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            found.append(f"{path.name}:{number}: not JSON ({error.msg})")
            continue
        if record.get("id") in ids:
            found.append(f"{path.name}:{number}: duplicate id {record.get('id')!r}")
        ids.add(record.get("id"))
        if not isinstance(record.get("text"), str) or not record["text"].strip():
            found.append(f"{path.name}:{number}: no text")
        unknown = set(record.get("categories", [None])) - set(CATEGORIES)
        if unknown:
            found.append(f"{path.name}:{number}: unknown categories {sorted(map(str, unknown))}")
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/work/data"))
    args = parser.parse_args(argv)
    for writer in COUNCIL_WRITERS:
        source = args.source / f"council_train_{writer}.jsonl"
        if not source.exists():
            print(f"{source.name}: not in {args.source}, the copy in bench/data stays")
            continue
        wrong = problems(source)
        if wrong:
            raise SystemExit("\n".join(wrong[:20]))
        for path in (source, source.with_suffix(".orgs.json")):
            shutil.copyfile(path, COUNCIL_DIR / path.name)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            print(f"{path.name}: {digest}")


if __name__ == "__main__":
    main()
