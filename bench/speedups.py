"""Does each speed-up on the ingest path pay for itself? Each switched off in turn, side by side.

For every speed-up below, this runs ingest end to end (as ``bench.ingest``: emulator pages
polled, stored and evaluated by one idle ``rqworker``) with the code as it is, and with that one
speed-up replaced by the plain way of doing the same thing, alternating the variants within each
round so that a change in the machine's load falls on all of them alike. The speed-ups that
touch the rules engine are also timed on classify (``bench/classify_throughput.py``'s stream, in
this process). Each variant's worker is a process of its own that installs the plain
alternative before it starts; the code under test is never edited.

``--against REF`` adds a worker running the code of git revision ``REF`` (extracted with
``git archive`` into a temporary directory): the before/after comparison of a clean-up, in the
same run. Both write to one database migrated by the current code, so ``REF`` must be able to
write to the current schema: revisions before migration 0014 cannot (they insert comments and
flags without ``campaign_key`` and ``terms``, which have no database default).

    python -m bench.speedups [--count 5000] [--rounds 5] [--classify-count 3000]
                             [--only NAME,NAME] [--against REF]

Reported per variant: the median comments/s (wall clock, enqueue to last verdict) and the median
CPU seconds the worker used per 1,000 comments, and each speed-up's gain: the share of the
plain variant's time it saves (1 − plain rate / shipped rate).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from bench.benchdb import ROOT, fresh_database, machine_speed

SHIPPED = "as shipped"


# Each function installs, in the process that calls it, the plain alternative to one speed-up.


def plain_json(stack: contextlib.ExitStack) -> None:
    """The standard library's ``json`` as the only JSON writer (no orjson)."""
    from moderation import jsontext
    from moderation.connectors import parsing

    def dumps_bytes(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode()

    stack.enter_context(mock.patch.object(jsontext, "dumps_bytes", dumps_bytes))
    # clean_raw becomes its json-only check (the same module's _clean_raw_by_json).
    code = parsing.clean_raw.__code__
    parsing.clean_raw.__code__ = parsing._clean_raw_by_json.__code__
    stack.callback(setattr, parsing.clean_raw, "__code__", code)


def plain_pages(stack: contextlib.ExitStack) -> None:
    """Pages fetched one after another by the job itself (no read-ahead thread)."""
    from moderation.read_ahead import PagesAhead, caught_up

    def one_after_another(self: Any) -> Iterator[Any]:
        cursor = self._cursor
        for _ in range(self._limit):
            page = self._connector.fetch_comments(cursor)
            yield page
            if caught_up(page, cursor):
                return
            cursor = page.next_cursor

    stack.enter_context(mock.patch.object(PagesAhead, "__iter__", one_after_another))


def plain_fingerprints(stack: contextlib.ExitStack) -> None:
    """No global fingerprint caches: each comparison folds and hashes both texts afresh."""
    from rules.engine import repetition

    class Forgetful(dict[Any, Any]):
        def __setitem__(self, key: Any, value: Any) -> None:
            pass

        def setdefault(self, key: Any, default: Any = None) -> Any:
            return default

    stack.enter_context(mock.patch.object(repetition, "_FINGERPRINTS", Forgetful()))
    stack.enter_context(mock.patch.object(repetition, "_SCREENS", Forgetful()))


def plain_inserts(stack: contextlib.ExitStack) -> None:
    """One ``INSERT … VALUES … ON CONFLICT DO NOTHING RETURNING`` per batch instead of COPY
    through a staging table; ``bulk_create`` instead of COPY for rows inserted as they are."""
    from bench import plain
    from moderation import bulk

    stack.enter_context(mock.patch.object(bulk, "_copy_insert", plain.insert_returning))
    stack.enter_context(mock.patch.object(bulk, "_copy_rows", plain.bulk_create_rows))


SPEEDUPS: dict[str, tuple[Callable[[contextlib.ExitStack], None], bool]] = {
    # name: (install the plain alternative, whether it touches classify)
    "orjson beside json (jsontext)": (plain_json, False),
    "read-ahead thread": (plain_pages, False),
    "global fingerprint caches": (plain_fingerprints, True),
    "COPY via staging table": (plain_inserts, False),
}


def worker_main(variant: str) -> None:
    """The rq worker of one variant (run by ``--worker``)."""
    import django

    django.setup()
    stack = contextlib.ExitStack()
    if variant != SHIPPED:
        SPEEDUPS[variant][0](stack)
    from django.core.management import execute_from_command_line

    command = ["manage.py", "rqworker", "--worker-class", "smpolicy.worker.Worker", "ingest"]
    execute_from_command_line(command)


def start_worker(env: dict[str, str], variant: str, tree: Path | None) -> subprocess.Popen[bytes]:
    log = open(os.environ.get("BENCH_LOG", os.devnull), "ab")  # noqa: SIM115
    if tree is None:
        command = [sys.executable, "-m", "bench.speedups", "--worker", variant]
        cwd = ROOT
    else:
        command = [sys.executable, "manage.py", "rqworker"]
        command += ["--worker-class", "smpolicy.worker.Worker", "ingest"]
        cwd = tree
    extra = {"PYTHONPATH": str(cwd)}
    return subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env, **extra}, stdout=log, stderr=subprocess.STDOUT
    )


def ingest_once(
    env: dict[str, str], emulator: Any, variant: str, tree: Path | None, count: int, number: int
) -> dict[str, float]:
    import django_rq
    from rq import Worker

    from bench.ingest import one_run, wait_for

    connection = django_rq.get_connection("ingest")
    worker = start_worker(env, variant, tree)
    try:
        wait_for(lambda: len(Worker.all(connection=connection)) == 1, "the worker to start")
        return one_run(emulator, count, number, worker.pid)
    finally:
        worker.terminate()
        worker.wait()
        wait_for(lambda: not Worker.all(connection=connection), "the worker to stop")


def classify_once(variant: str, posts: list[tuple[str, str]]) -> float:
    """Comments/s of the classify stream with ``variant`` installed (CPU time, one pass)."""
    from bench.classify_throughput import SETTINGS, stream_rate
    from rules.engine import compile_ruleset, default_ruleset_spec

    with contextlib.ExitStack() as stack:
        if variant != SHIPPED:
            SPEEDUPS[variant][0](stack)
        compiled = compile_ruleset(default_ruleset_spec(SETTINGS))
        return stream_rate(posts, compiled, 1)


@contextlib.contextmanager
def extracted(ref: str | None) -> Iterator[Path | None]:
    if ref is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="smpolicy-before-") as directory:
        archive = subprocess.run(
            ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", directory], input=archive, check=True)
        yield Path(directory)


def gain(plain: float, shipped: float) -> str:
    return f"{1 - plain / shipped:+.1%}" if plain and shipped else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--classify-count", type=int, default=3_000)
    parser.add_argument("--only", default="", help="comma-separated speed-up names (prefixes)")
    parser.add_argument("--against", help="a git revision to compare with (before/after)")
    parser.add_argument("--no-ingest", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
        return
    wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
    chosen = [n for n in SPEEDUPS if not wanted or any(n.lower().startswith(w) for w in wanted)]
    env = fresh_database("smpolicy_bench_speedups")
    from bench.corpus import generate
    from bench.ingest import use_emulator
    from moderation.emulator import Emulator

    before = f"code of {args.against}" if args.against else None
    variants = [SHIPPED, *chosen] + ([before] if before else [])
    ingest: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
    classify: dict[str, list[float]] = {
        v: [] for v in [SHIPPED, *[n for n in chosen if SPEEDUPS[n][1]]]
    }
    posts = [(c.text, c.author) for c in generate(args.classify_count, seed=1)]
    print(f"load before: {os.getloadavg()}; {machine_speed()}", flush=True)
    number = 0
    with extracted(args.against) as tree:
        emulator = Emulator.start() if not args.no_ingest else None
        if emulator is not None:
            use_emulator(env, emulator)
        for round_ in range(args.rounds):
            shift = round_ % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                if emulator is not None:
                    number += 1
                    run = ingest_once(
                        env,
                        emulator,
                        variant,
                        tree if variant == before else None,
                        args.count,
                        number,
                    )
                    ingest[variant].append(run)
                    print(
                        f"round {round_ + 1} {variant}: {run['rate']:,.0f} comments/s, "
                        f"worker CPU {run['worker_cpu_s']:.2f} s",
                        flush=True,
                    )
                if variant in classify:
                    rate = classify_once(variant, posts)
                    classify[variant].append(rate)
                    print(f"round {round_ + 1} {variant}: classify {rate:,.0f}/s", flush=True)
        if emulator is not None:
            emulator.stop()
    print(f"load after: {os.getloadavg()}; {machine_speed()}\n")
    print(report(ingest, classify, args, before))


def report(
    ingest: dict[str, list[dict[str, float]]],
    classify: dict[str, list[float]],
    args: argparse.Namespace,
    before: str | None,
) -> str:
    def rate(variant: str) -> float:
        runs = ingest.get(variant) or []
        return statistics.median(r["rate"] for r in runs) if runs else 0.0

    def cpu(variant: str) -> float:
        runs = ingest.get(variant) or []
        return statistics.median(r["worker_cpu_s"] for r in runs) * 1000 / args.count if runs else 0

    def classified(variant: str) -> float:
        return statistics.median(classify[variant]) if classify.get(variant) else 0.0

    lines = [
        f"{args.rounds} rounds alternated; ingest {args.count:,} comments a run, one worker; "
        f"classify {args.classify_count:,} generated comments (CPU time).",
        "",
        "| variant | ingest /s | gain | worker CPU s per 1,000 | gain | classify /s | gain |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    shipped_rate, shipped_cpu, shipped_classify = rate(SHIPPED), cpu(SHIPPED), classified(SHIPPED)
    for variant in ingest:
        name = variant if variant in (SHIPPED, before) else f"without: {variant}"
        is_base = variant == SHIPPED
        rate_gain = "" if is_base else gain(rate(variant), shipped_rate)
        cpu_gain = "" if is_base or not cpu(variant) else gain(shipped_cpu, cpu(variant))
        classify_cell = classify_gain = ""
        if variant in classify:
            classify_cell = f"{classified(variant):,.0f}"
            if not is_base:
                classify_gain = gain(classified(variant), shipped_classify)
        lines.append(
            f"| {name} | {rate(variant):,.0f} | {rate_gain} | {cpu(variant):.3f} | {cpu_gain} "
            f"| {classify_cell} | {classify_gain} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
