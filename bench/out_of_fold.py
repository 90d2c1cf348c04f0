"""The shipped model's out-of-fold figures per council writer, from the model file itself.

Training's cross-validation puts each council writer's file in one fold, so every council
comment of the training split gets a score from a model fitted without its writer; training
records, per category and writer, what rules, model and shipped (rules OR model) do with those
scores at the shipped thresholds (``cross_validation_by_writer`` in the model's metadata).
This prints them as one table per writer; nothing is recomputed and no validation row is read.

    python -m bench.out_of_fold [--write-doc]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping
from typing import Any

from bench.quality import DOC
from rules.engine.learned.model import MODEL_PATH, LinearModel

START, END = "<!-- out-of-fold:start -->", "<!-- out-of-fold:end -->"


def _figures(values: list[float]) -> str:
    return " / ".join(f"{100 * value:.1f}" for value in values)


def tables(metadata: Mapping[str, Any]) -> str:
    by_writer: Mapping[str, Mapping[str, Any]] = metadata.get("cross_validation_by_writer", {})
    # The development set is not a writer's file: its rows fall in folds at random.
    writers = sorted(
        {writer for figures in by_writer.values() for writer in figures} - {"council_dev"}
    )
    categories = [c for c in metadata.get("categories", by_writer) if c in by_writer]
    lines: list[str] = []
    for writer in writers:
        lines += [
            f"**Held out: {writer}** (training rows, out of fold). Precision / recall / F1, %.",
            "",
            "| category | positives | rules | model | shipped |",
            "| --- | --- | --- | --- | --- |",
        ]
        for category in categories:
            found = by_writer[category].get(writer)
            if found is None or not found["positives"]:
                continue
            lines.append(
                f"| {category} | {found['positives']} | {_figures(found['rules'])} | "
                f"{_figures(found['model'])} | {_figures(found['shipped'])} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip()


def write_doc(text: str) -> None:
    content = DOC.read_text(encoding="utf-8")
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    stamp = time.strftime("%Y-%m-%d")
    section = (
        f"{START}\n_From the model file's metadata, {stamp} (`python -m bench.out_of_fold`)._\n\n"
    )
    DOC.write_text(f"{before}{section}{text}\n{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args(argv)
    text = tables(LinearModel.load(MODEL_PATH).metadata)
    print(text)
    if args.write_doc:
        write_doc(text)


if __name__ == "__main__":
    main()
