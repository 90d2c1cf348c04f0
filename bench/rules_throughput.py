"""Throughput, compile cost and better-profanity agreement of the rules engine.

Every speed figure is one process on one core: comments per second for the full default rule
set's rules (alone, and fed a repetition context as a live stream would be; the learned stage
is off here, ``bench/classify_throughput.py`` measures it) against better-profanity's
``contains_profanity`` on the same generated corpus (a subset for the slow baseline, reported
per comment); compile time and compiled size; and how often the profanity rule agrees with
better-profanity, with the cause of every disagreement.

    python -m bench.rules_throughput              # print the table
    python -m bench.rules_throughput --write-doc  # and update docs/rules-engine.md

Speed figures are CPU time of this one process (``time.process_time``), best of several
rounds, so other work on a shared machine does not distort them. The agreement check needs
only better-profanity's verdicts, so it spreads them over the machine's cores; it is not a
speed figure.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import re
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bench.corpus import Comment, generate
from rules.engine import (
    CompiledRuleSet,
    RepetitionTracker,
    RuleSetSpec,
    RuleSpec,
    compile_ruleset,
    default_ruleset_spec,
)
from rules.engine.detectors.profanity import better_profanity_words, data_text, match_key
from rules.engine.lexicon import read_list
from rules.engine.repetition import forget_fingerprints

SETTINGS = {
    "own_names": ["Exampleshire County Council", "@exampleshirecc"],
    "own_domains": ["exampleshire.gov.uk"],
    "own_contacts": {"domains": ["exampleshire.gov.uk"], "phones": ["0300 123 4567"]},
    "staff_names": ["Jane Smith", "Cllr John Smith"],
    "candidates": ["Alice Brown"],
    "blocked_domains": ["evil.example"],
    # The rules alone: the learned stage is measured by bench/classify_throughput.py.
    "model": {"enabled": False},
}
DOC = Path(__file__).resolve().parents[1] / "docs" / "rules-engine.md"
START, END = "<!-- throughput:start -->", "<!-- throughput:end -->"
TARGET_RATE = 20_000
TARGET_AGREEMENT = 99.9
TARGET_COMPILE = 1.0
TARGET_SIZE = 50.0


def _profanity_rule(**params: Any) -> CompiledRuleSet:
    rule = RuleSpec(
        key="abuse.profanity",
        name="Swearing",
        category="abuse",
        severity=3,
        outcome="hold",
        kind="detector",
        params={"detector": "profanity", **params},
    )
    return compile_ruleset(RuleSetSpec("profanity", 1, (rule,)))


def _without_personal_data() -> CompiledRuleSet:
    spec = default_ruleset_spec(SETTINGS)
    rules = tuple(rule for rule in spec.rules if rule.category != "personal_data")
    return compile_ruleset(RuleSetSpec(spec.name, spec.version, rules, spec.settings))


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _best_rate(texts: Sequence[str], run: Callable[[str], object], rounds: int) -> float:
    best = 0.0
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        for text in texts:
            run(text)
        best = max(best, len(texts) / (time.process_time() - start))
    return best


def _stream_rate(comments: Sequence[Comment], compiled: CompiledRuleSet, rounds: int) -> float:
    best = 0.0
    for _ in range(rounds):
        tracker = RepetitionTracker()
        forget_fingerprints()
        gc.collect()
        start = time.process_time()
        for comment in comments:
            compiled.evaluate(comment.text, tracker.context_for(comment.text, comment.author))
            tracker.remember(comment.text, comment.author)
        best = max(best, len(comments) / (time.process_time() - start))
    return best


def _bp_verdict(text: str) -> bool:
    from better_profanity import profanity

    return bool(profanity.contains_profanity(text))


@dataclass
class Agreement:
    """How one configuration's profanity verdict compares with better-profanity's."""

    name: str
    agree: int
    total: int
    causes: Counter[str]
    examples: dict[str, list[str]]

    @property
    def percent(self) -> float:
        return 100.0 * self.agree / self.total if self.total else 0.0


@lru_cache(maxsize=1)
def _listed_keys() -> frozenset[str]:
    return frozenset(match_key(word) for word in better_profanity_words())


def _cause(text: str, ours: bool, compiled: CompiledRuleSet, excluded: set[str]) -> tuple[str, str]:
    """Why a verdict differs from better-profanity's, and the words involved."""
    from better_profanity import profanity

    if ours:
        matches = compiled.evaluate(text)
        words = [text[start:end] for match in matches for start, end in match.spans]
        shown = ", ".join(repr(word) for word in words[:3])
        if {match.detector for match in matches} - {"profanity"}:
            return "we catch a disguised word better-profanity misses", shown
        listed = _listed_keys()
        lowered = [word.lower() for word in words]
        if any(match_key(w[:-2]) in listed or match_key(w[:-1]) in listed for w in lowered):
            return "we match the plural of a listed word (it needs the exact word)", shown
        return "other", shown
    censored = profanity.censor(text, "\x00").split()
    flagged = [word for word in re.findall(r"[\w'@$*\"]+", text) if word not in censored]
    listed = _listed_keys()
    shown = ", ".join(
        repr(word) for word in flagged if match_key(word.lower().strip("'\"")) in listed
    ) or ", ".join(repr(word) for word in flagged[:3])
    if any(match_key(word.lower().strip("'\"")) in excluded for word in flagged):
        return "better-profanity flags a word the council list leaves out", shown
    return "better-profanity glues neighbouring words into one", shown


def agreement(
    texts: Sequence[str], verdicts: Sequence[bool], name: str, compiled: CompiledRuleSet
) -> Agreement:
    """Compare a configuration's verdicts with better-profanity's on the same texts."""
    excluded = {
        match_key(word) for word in read_list(data_text("profanity_council_exclusions.txt"))
    }
    causes: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    agree = 0
    for text, theirs in zip(texts, verdicts, strict=True):
        ours = bool(compiled.evaluate(text))
        if ours == theirs:
            agree += 1
            continue
        cause, words = _cause(text, ours, compiled, excluded)
        causes[cause] += 1
        seen = examples.setdefault(cause, [])
        if len(seen) < 4 and words and words not in seen:
            seen.append(words)
    return Agreement(name, agree, len(texts), causes, examples)


@dataclass
class Figures:
    """Everything the benchmark measures."""

    count: int
    seed: int
    rules: int
    cold_compile: float
    warm_compile: float
    python_heap: float
    rss_growth: float
    full_rate: float
    stream_rate: float
    engine_rate: float
    profanity_rate: float
    bp_rate: float
    baseline: int
    agreements: list[Agreement]
    flagged_share: float
    matched: Counter[str]


def run(count: int, seed: int, baseline: int, agreement_count: int, rounds: int) -> Figures:
    """Measure everything."""
    comments = generate(count, seed)
    texts = [comment.text for comment in comments]

    gc.collect()
    rss_before = _rss_mb()
    tracemalloc.start()
    start = time.process_time()
    compiled = compile_ruleset(default_ruleset_spec(SETTINGS))
    cold = time.process_time() - start
    python_heap = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    rss_growth = _rss_mb() - rss_before
    start = time.process_time()
    compile_ruleset(default_ruleset_spec(SETTINGS))
    warm = time.process_time() - start

    for text in texts[:500]:  # warm RE2's lazily built automata, as a long-running worker has
        compiled.evaluate(text)
    full_rate = _best_rate(texts, compiled.evaluate, rounds)
    stream_rate = _stream_rate(comments, compiled, rounds)
    engine_rate = _best_rate(texts, _without_personal_data().evaluate, rounds)
    profanity_rate = _best_rate(texts, _profanity_rule().evaluate, rounds)

    from better_profanity import profanity

    profanity.contains_profanity("warm up")
    subset = texts[:baseline]
    start = time.process_time()
    for text in subset:
        profanity.contains_profanity(text)
    bp_rate = len(subset) / (time.process_time() - start)

    sample = texts[:agreement_count]
    with multiprocessing.Pool() as pool:
        verdicts = pool.map(_bp_verdict, sample, chunksize=50)
    configurations: list[tuple[str, dict[str, Any]]] = [
        (
            "better-profanity list with its own rules",
            {"wordlist": "better_profanity", "fold_evasions": False},
        ),
        ("better-profanity list, evasions folded", {"wordlist": "better_profanity"}),
        ("council list, evasions folded (the default rule)", {}),
    ]
    agreements = [
        agreement(sample, verdicts, name, _profanity_rule(**params))
        for name, params in configurations
    ]
    first = texts[:5000]
    results = [compiled.evaluate(text) for text in first]
    return Figures(
        count=count,
        seed=seed,
        rules=len(compiled.rules),
        cold_compile=cold,
        warm_compile=warm,
        python_heap=python_heap,
        rss_growth=rss_growth,
        full_rate=full_rate,
        stream_rate=stream_rate,
        engine_rate=engine_rate,
        profanity_rate=profanity_rate,
        bp_rate=bp_rate,
        baseline=len(subset),
        agreements=agreements,
        flagged_share=sum(1 for matches in results if matches) / len(first),
        matched=Counter(match.category for matches in results for match in matches),
    )


def _row(measure: str, result: str, target: str = "") -> str:
    return f"| {measure} | {result} | {target} |"


def _rate(value: float) -> str:
    return f"{value:,.0f} comments/s"


def table(f: Figures) -> str:
    """The figures as a Markdown table with the targets."""
    lines = [
        f"Corpus: {f.count:,} generated council comments (`bench/corpus.py`, seed {f.seed}); "
        f"the default rule set ({f.rules} rules); one process, CPU time of one core.",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
        _row(
            "full default rule set, text only",
            f"{_rate(f.full_rate)} ({1e6 / f.full_rate:.0f} µs each)",
            f"≥ {TARGET_RATE:,}",
        ),
        _row("… with a repetition context per comment (a stream)", _rate(f.stream_rate)),
        _row("… without the personal-data rule", _rate(f.engine_rate)),
        _row("profanity rule alone", _rate(f.profanity_rate)),
        _row(
            f"better-profanity `contains_profanity` ({f.baseline:,} comments)",
            f"{f.bp_rate:,.1f} comments/s ({1e3 / f.bp_rate:.1f} ms each)",
        ),
        _row(
            "whole rule set against better-profanity alone",
            f"{f.full_rate / f.bp_rate:,.0f}× faster",
        ),
        _row(
            "compile the default rule set (first / again)",
            f"{f.cold_compile:.2f} s / {f.warm_compile:.2f} s",
            f"< {TARGET_COMPILE:g} s",
        ),
        _row(
            "compiled size: Python heap (tracemalloc) / process growth incl. RE2 (RSS)",
            f"{f.python_heap:.1f} MB / {f.rss_growth:.1f} MB",
            f"< {TARGET_SIZE:g} MB",
        ),
    ]
    for position, item in enumerate(f.agreements):
        lines.append(
            _row(
                f"agreement with better-profanity: {item.name} ({item.total:,} comments)",
                f"{item.percent:.2f}%",
                f"≥ {TARGET_AGREEMENT}%" if position == 0 else "",
            )
        )
    lines.append("")
    for item in f.agreements:
        if item.causes:
            lines.extend([f"Disagreements, {item.name}:", ""])
            for cause, number in item.causes.most_common():
                words = "; ".join(item.examples.get(cause, []))
                lines.append(f"- {cause}: {number} (e.g. {words})")
            lines.append("")
    by_category = ", ".join(f"{name} {number}" for name, number in f.matched.most_common())
    lines.append(
        f"The default rule set flags {f.flagged_share:.1%} of the first 5,000 comments (the "
        f"generator plants something in about 20%); matches by category: {by_category}."
    )
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Replace the figures section of docs/rules-engine.md (between its markers)."""
    content = DOC.read_text(encoding="utf-8") if DOC.exists() else f"{START}\n{END}\n"
    if START not in content:
        content += f"\n{START}\n{END}\n"
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    stamp = time.strftime("%Y-%m-%d")
    section = f"{START}\n_Measured {stamp} by `python -m bench.rules_throughput`._\n\n{text}\n"
    DOC.write_text(f"{before}{section}{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print (and optionally write) the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--baseline", type=int, default=500, help="comments timed with better-profanity"
    )
    parser.add_argument(
        "--agreement", type=int, default=6_000, help="comments in the agreement check"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-doc", action="store_true", help="update docs/rules-engine.md")
    args = parser.parse_args(argv)
    text = table(run(args.count, args.seed, args.baseline, args.agreement, args.rounds))
    print(text)
    if args.write_doc:
        write_doc(text)
        print(f"\nwrote {DOC}")


if __name__ == "__main__":
    main()
