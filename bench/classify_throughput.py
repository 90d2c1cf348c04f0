"""Classify throughput with and without the learned stage, side by side in one run.

What ``manage.py classify`` does per line, minus JSON: a repetition context from a
``RepetitionTracker``, then the compiled default rule set. Measured on the generated council
corpus (``bench/corpus.py``) and on real comments (the council files' texts), one process on one
core, CPU time (``time.process_time``), best of several rounds. Also: the model file's size, the
time to load it, and the learned stage's own cost per comment.

    python -m bench.classify_throughput [--count 5000] [--rounds 3] [--write-doc]
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import generate
from rules.engine import CompiledRuleSet, RepetitionTracker, compile_ruleset, default_ruleset_spec
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.masks import build_masks
from rules.engine.learned.model import MODEL_PATH, LinearModel
from rules.engine.repetition import forget_fingerprints
from rules.training.corpora import council_sources, load_source

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules-engine.md"
START, END = "<!-- classify:start -->", "<!-- classify:end -->"
TARGET = 1_000
SETTINGS = {
    "own_names": ["Exampleshire County Council", "@exampleshirecc"],
    "own_domains": ["exampleshire.gov.uk"],
    "own_contacts": {"domains": ["exampleshire.gov.uk"], "phones": ["0300 123 4567"]},
    "staff_names": ["Jane Smith", "Cllr John Smith"],
    "candidates": ["Alice Brown"],
}


def stream_rate(posts: Sequence[tuple[str, str]], compiled: CompiledRuleSet, rounds: int) -> float:
    best = 0.0
    for _ in range(rounds):
        tracker = RepetitionTracker()
        forget_fingerprints()
        gc.collect()
        start = time.process_time()
        for text, author in posts:
            compiled.evaluate(text, tracker.context_for(text, author))
            tracker.remember(text, author)
        best = max(best, len(posts) / (time.process_time() - start))
    return best


def model_rate(texts: Sequence[str], model: LinearModel, rounds: int) -> float:
    masks = build_masks(SETTINGS)
    best = 0.0
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        for text in texts:
            model.scores(extract(Document(text), masks))
        best = max(best, len(texts) / (time.process_time() - start))
    return best


def run(count: int, rounds: int) -> str:
    load_started = time.perf_counter()
    model = LinearModel.load(MODEL_PATH)
    load_seconds = time.perf_counter() - load_started
    with_model = compile_ruleset(default_ruleset_spec(SETTINGS))
    rules_only = compile_ruleset(default_ruleset_spec({**SETTINGS, "model": {"enabled": False}}))
    assert with_model.learned is not None and rules_only.learned is None
    corpora = {
        f"generated corpus, {count:,} comments": [
            (c.text, c.author) for c in generate(count, seed=1)
        ],
    }
    council = [
        (item.text, item.author) for source in council_sources() for item in load_source(source)
    ]
    if council:
        corpora[f"council comments, {len(council):,}"] = council
    lines = [
        f"Model file {MODEL_PATH.stat().st_size / 1e6:.1f} MB, "
        f"{len(model.vocabulary):,} features × {len(model.categories)} categories; "
        f"loads in {load_seconds:.2f} s (target < 2 s).",
        "",
        "| comments (stream, with repetition) | rules only | rules + learned stage | "
        "learned stage alone | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, posts in corpora.items():
        rules_rate = stream_rate(posts, rules_only, rounds)
        both_rate = stream_rate(posts, with_model, rounds)
        alone = model_rate([text for text, _ in posts], model, rounds)
        lines.append(
            f"| {name} | {rules_rate:,.0f}/s | {both_rate:,.0f}/s | {alone:,.0f}/s "
            f"({1e6 / alone:.0f} µs each) | ≥ {TARGET:,}/s with the stage |"
        )
    return "\n".join(lines)


def write_doc(text: str) -> None:
    content = DOC.read_text(encoding="utf-8")
    if START not in content:
        content += f"\n{START}\n{END}\n"
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    stamp = time.strftime("%Y-%m-%d")
    section = f"{START}\n_Measured {stamp} by `python -m bench.classify_throughput`._\n\n{text}\n"
    DOC.write_text(f"{before}{section}{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args(argv)
    text = run(args.count, args.rounds)
    print(text)
    if args.write_doc:
        write_doc(text)


if __name__ == "__main__":
    main()
