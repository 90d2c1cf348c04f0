"""Each default rule's precision on the validation split: what decides whether it may hide.

    python -m bench.rule_precision [--datasets ../shared/datasets] [--write]

The default rule set, rules only (the learned stage off), runs over the validation split of
every source (``rules.training.splits``, seed 0), in stream order with repetition context as in
production. A rule's match counts where the source labels the rule's category: correct when
the comment is in it. ``--write`` records the figures, with each rule's fingerprint, in
``rules/engine/data/rule_precision.json``; the engine lets a rule keep ``auto_hide`` only while
its recorded precision is at least 0.95 and its definition is the one measured
(``rules.engine.precision``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import TypedDict

from rules.engine import default_ruleset_spec
from rules.engine.precision import PRECISION_PATH, fingerprint
from rules.training.corpora import DEFAULT_DATASETS, available_sources, load_source
from rules.training.evaluate import rules_only_spec, settings_for_source, stream_matches
from rules.training.splits import split


class MeasuredRule(TypedDict):
    precision: float
    flagged: int
    fingerprint: str


def measure(datasets: Path) -> dict[str, MeasuredRule]:
    flagged: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for source in available_sources(datasets):
        if source == "council_dev":  # the rules' development set: optimistic for them
            continue
        items = load_source(source, datasets)
        _, validation = split(items)
        found = stream_matches(
            items,
            {item.uid for item in validation},
            spec_for=rules_only_spec,
            settings_by_org=settings_for_source(source),
        )
        for item in validation:
            for match in found.get(item.uid, []):
                # A signal (a campaign) is in no category: nothing to measure.
                if match.signal or match.category not in item.labels:
                    continue
                flagged[match.rule_key] += 1
                correct[match.rule_key] += bool(item.labels[match.category])
    fingerprints = {rule.key: fingerprint(rule) for rule in default_ruleset_spec({}).rules}
    return {
        key: {
            "precision": round(correct[key] / flagged[key], 4),
            "flagged": flagged[key],
            "fingerprint": fingerprints.get(key, ""),
        }
        for key in sorted(flagged)
        if key in fingerprints
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    rules = measure(args.datasets)
    print("| rule | flagged on validation | precision |")
    print("| --- | --- | --- |")
    for key, row in rules.items():
        print(f"| {key} | {row['flagged']:,} | {float(row['precision']):.3f} |")
    if args.write:
        record = {
            "measured": dt.date.today().isoformat(),
            "method": "python -m bench.rule_precision: default rules, learned stage off, "
            "validation split (seed 0) of every source but council_dev",
            "rules": rules,
        }
        PRECISION_PATH.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"written to {PRECISION_PATH}")


if __name__ == "__main__":
    main()
