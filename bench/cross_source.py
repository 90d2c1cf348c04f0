"""How the shipped configuration does on a council writer it has never seen.

For each writer's file: train the learned stage on every other source's train split (the other
writers, the development set, the public data), choosing C and thresholds by cross-validation on
those rows exactly as ``manage.py train_classifiers`` does, then score
rules, model and shipped (rules OR model) on ALL of the held-out writer's comments, in file
order with its organisations' settings. No row of the held-out file took part in fitting,
calibrating or choosing a threshold, so these figures estimate how the product does on council
comments written by someone else. To keep the run to minutes, each category's C is the one the
shipped model chose (a choice the held-out file took part in; calibration and threshold are
chosen again without it).

    python -m bench.cross_source [--jobs 2] [--write-doc]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.quality import DOC, Predicted, council_table, split_matches
from rules.engine.document import Document
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.engine.learned.stage import LearnedStage
from rules.training.corpora import COUNCIL_WRITERS, DEFAULT_DATASETS, load_source
from rules.training.evaluate import rules_only_spec, settings_for_source, stream_matches
from rules.training.items import Item
from rules.training.train import Prepared, TextFeatures, features_of, prepare, train

START, END = "<!-- cross-source:start -->", "<!-- cross-source:end -->"
WRITERS = tuple(f"council_{writer}" for writer in COUNCIL_WRITERS)


def held_out(
    writer: str,
    prepared: Prepared,
    features: TextFeatures,
    datasets: Path,
    jobs: int,
    c_by_category: dict[str, float],
) -> list[str]:
    """Train without ``writer``'s file, then score every comment of it."""
    kept = [i for i, item in enumerate(prepared.train_items) if item.source != writer]
    trained = train(
        [prepared.train_items[i] for i in kept],
        prepared.rules_flagged,
        train_features=features.subset(kept),
        c_grid={category: (c,) for category, c in c_by_category.items()},
        jobs=jobs,
    )
    settings = settings_for_source(writer)
    stages = {
        org: LearnedStage(trained.model, {**org_settings, "model": {"enabled": True}})
        for org, org_settings in {"": {}, **settings}.items()
    }
    items: list[Item] = load_source(writer, datasets)
    rules = stream_matches(items, None, spec_for=rules_only_spec, settings_by_org=settings)
    predicted = {}
    for item in items:
        stage = stages.get(item.org, stages[""])
        model = split_matches(stage.matches(Document(item.text), 0)).model
        predicted[(item.source, item.uid)] = Predicted(split_matches(rules[item.uid]).rules, model)
    return council_table(f"Held out: {writer}, all comments", items, predicted)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    prepared = prepare(args.datasets, log=lambda line: None)
    features = features_of(prepared.train_items)
    shipped = LinearModel.load(MODEL_PATH)
    c_by_category = {c: float(v) for c, v in shipped.metadata["training"]["c"].items()}
    lines: list[str] = []
    for writer in WRITERS:
        lines += held_out(writer, prepared, features, args.datasets, args.jobs, c_by_category)
        print("\n".join(lines[-25:]), flush=True)
    lines.append(f"_Run time {time.perf_counter() - started:.0f} s._")
    text = "\n".join(lines)
    if args.write_doc:
        content = DOC.read_text(encoding="utf-8")
        if START not in content:
            content += f"\n{START}\n{END}\n"
        before, rest = content.split(START, 1)
        _, after = rest.split(END, 1)
        stamp = time.strftime("%Y-%m-%d")
        section = f"{START}\n_Measured {stamp} by `python -m bench.cross_source`._\n\n{text}\n"
        DOC.write_text(f"{before}{section}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
