"""A benchmark's environment sends jobs to its workers even from a shell that exported the test
suite's ``RQ_ASYNC=false``: otherwise jobs run in the benchmark's own process and the workers'
share of the work reads as nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCHDB = Path(__file__).resolve().parent.parent / "bench" / "benchdb.py"


def test_the_bench_environment_makes_queues_asynchronous(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RQ_ASYNC", "false")
    spec = importlib.util.spec_from_file_location("benchdb", BENCHDB)
    assert spec is not None and spec.loader is not None
    benchdb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchdb)

    environment = benchdb.bench_environment("bench_example")

    assert environment["RQ_ASYNC"] == "true"
    assert environment["DATABASE_URL"].endswith("/bench_example")
