"""Functional tests of the hate category: hateful statements of several kinds, and the traps a
detector that keys on group words falls into (neutral and positive mentions, negation, quoted
or condemned hate, abuse of people who are not a protected group, dishes and shops).

    python -m bench.functional_hate [--model PATH]

``bench/data/functional_hate.jsonl`` was written for smpolicy (its sentences are its own) as a
development check: it is never trained on, and it is too small and too regular to tune on. It
prints, per functional category, how often rules, model and shipped (rules OR model) flag hate,
in the shipped configuration: the rules' findings are those the engine reports beside the
learned stage.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rules.engine import compile_ruleset, default_ruleset_spec
from rules.engine.compiler import CompiledRuleSet
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.engine.learned.stage import LearnedStage

SUITE = Path(__file__).resolve().parent / "data" / "functional_hate.jsonl"


def verdicts(text: str, model_path: Path = MODEL_PATH) -> tuple[bool, bool]:
    """(the rules flag hate, the model flags hate) on ``text``, in the shipped configuration:
    the rules' findings as the engine reports them beside the learned stage (which drops a
    loose slur alone or a statement in counter-speech where the model does not flag hate)."""
    matches = _shipped(model_path).evaluate(text)
    hate = [match for match in matches if match.category == "hate"]
    return (
        any(match.detector != "model" for match in hate),
        any(match.detector == "model" for match in hate),
    )


@lru_cache(maxsize=2)
def _shipped(model_path: Path) -> CompiledRuleSet:
    spec = default_ruleset_spec()
    compiled = compile_ruleset(spec)
    compiled.learned = LearnedStage(LinearModel.load(model_path), spec.settings)
    return compiled


def flags(model_path: Path = MODEL_PATH) -> list[tuple[dict, bool, bool]]:
    """(case, rules flag hate, model flags hate) for every case of the suite."""
    found = []
    for line in SUITE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        found.append((case, *verdicts(case["text"], model_path)))
    return found


def table(model_path: Path = MODEL_PATH) -> list[str]:
    """Per functional category: cases, and the share flagged as hate by each predictor."""
    tallies: dict[tuple[bool, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for case, by_rules, by_model in flags(model_path):
        tally = tallies[(case["hateful"], case["functionality"])]
        tally[0] += 1
        tally[1] += by_rules
        tally[2] += by_model
        tally[3] += by_rules or by_model
    lines = [
        "Functional hate checks (`bench/data/functional_hate.jsonl`, written for smpolicy; a "
        "development check, never trained on): share flagged as hate, %.",
        "",
        "| functional category | hateful | cases | rules | model | shipped |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    totals = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    for (hateful, name), tally in sorted(tallies.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
        cells = " | ".join(f"{100 * n / tally[0]:.0f}" for n in tally[1:])
        lines.append(f"| {name} | {'yes' if hateful else 'no'} | {tally[0]} | {cells} |")
        totals[hateful] = [a + b for a, b in zip(totals[hateful], tally, strict=True)]
    for hateful, label in ((True, "all hateful (recall)"), (False, "all traps (false alarms)")):
        tally = totals[hateful]
        if tally[0]:
            cells = " | ".join(f"{100 * n / tally[0]:.0f}" for n in tally[1:])
            lines.append(f"| **{label}** | | {tally[0]} | {cells} |")
    return [*lines, ""]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    print("\n".join(table(args.model)))


if __name__ == "__main__":
    main()
