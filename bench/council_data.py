"""Copy the writers' council comment files into bench/data, checking every line first.

    python -m bench.council_data [--source /work/data]

Each ``council_train_<w>.jsonl`` must parse line by line, with unique ids, a non-empty text, a
list of categories from the engine's list, a text ``author`` and an ``org`` that its
organisations' settings (``.orgs.json``, a list of objects each with an ``org`` key and a
``name``) describe; the settings are copied beside it. The copies are byte-for-byte the
writers' files, so their sha256 (in the model file's data list) names exactly what was trained
on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

from rules.engine.types import CATEGORIES
from rules.training.corpora import COUNCIL_DIR, COUNCIL_WRITERS


def organisations(path: Path) -> tuple[set[str], list[str]]:
    """The organisation keys of a council file's ``.orgs.json``, and what is wrong with it."""
    orgs = path.with_suffix(".orgs.json")
    if not orgs.exists():
        return set(), [f"{orgs.name}: missing"]
    try:
        entries = json.loads(orgs.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return set(), [f"{orgs.name}: not JSON ({error.msg})"]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return set(), [f"{orgs.name}: must be a list of organisations"]
    wrong = [
        f"{orgs.name}: entry {number} needs an org key and a name"
        for number, entry in enumerate(entries, 1)
        if not isinstance(entry.get("org"), str) or not isinstance(entry.get("name"), str)
    ]
    return {e["org"] for e in entries if isinstance(e.get("org"), str)}, wrong


def problems(path: Path) -> list[str]:
    known, found = organisations(path)
    ids: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            found.append(f"{path.name}:{number}: not JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            found.append(f"{path.name}:{number}: not an object")
            continue
        if not isinstance(record.get("id"), str) or record["id"] in ids:
            found.append(f"{path.name}:{number}: missing or duplicate id {record.get('id')!r}")
        ids.add(str(record.get("id")))
        if not isinstance(record.get("text"), str) or not record["text"].strip():
            found.append(f"{path.name}:{number}: no text")
        categories = record.get("categories")
        if not isinstance(categories, list):
            found.append(f"{path.name}:{number}: categories must be a list")
            continue
        unknown = set(map(str, categories)) - set(CATEGORIES)
        if unknown:
            found.append(f"{path.name}:{number}: unknown categories {sorted(unknown)}")
        if not isinstance(record.get("author", ""), str):
            found.append(f"{path.name}:{number}: author must be text")
        if record.get("org") not in known:
            found.append(f"{path.name}:{number}: org {record.get('org')!r} not in the .orgs.json")
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
