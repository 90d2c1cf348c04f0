"""`manage.py train_classifiers`: rebuild the learned stage's model file from the data.

Reads every corpus of ``--datasets`` (default ``../shared/datasets``) and the council comments
in ``bench/data``, trains on their fixed train splits, picks calibration and thresholds by
cross-validation on those splits (never reading validation) and writes
``rules/engine/data/classifiers.npz`` (or ``--output``). Needs scikit-learn (a development
dependency); the same inputs give the same file. See docs/quality.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rules.engine.learned.model import MODEL_PATH
from rules.training.corpora import DEFAULT_DATASETS
from rules.training.train import run


class Command(BaseCommand):
    help = "Train the per-category classifiers and write the model file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
        parser.add_argument("--output", type=Path, default=MODEL_PATH)
        parser.add_argument(
            "--exclude", action="append", default=[], help="leave a source out (repeatable)"
        )
        parser.add_argument("--jobs", type=int, default=1, help="categories fitted in parallel")
        parser.add_argument(
            "--search-c",
            action="store_true",
            help="choose each category's C by cross-validation (three times the fits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run(
            options["datasets"],
            options["output"],
            exclude=options["exclude"],
            jobs=options["jobs"],
            search_c=options["search_c"],
            log=lambda line: self.stdout.write(line),
        )
