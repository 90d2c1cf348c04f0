"""``smpolicy.worker.Worker``: rq's SimpleWorker, with the garbage collector tuned before work.

Each check runs in a fresh Python process, so this test process's collector is left alone.
"""

from __future__ import annotations

import subprocess
import sys

from rq.worker import SimpleWorker

from smpolicy.worker import GC_THRESHOLDS, Worker


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_tuning_freezes_the_objects_alive_and_raises_the_young_threshold() -> None:
    printed = _run(
        "import gc; from smpolicy.worker import tune_garbage_collector\n"
        "before = gc.get_freeze_count(); tune_garbage_collector()\n"
        "print(before, gc.get_freeze_count() > 1000, gc.get_threshold())"
    )
    assert printed == f"0 True {GC_THRESHOLDS}"


def test_the_worker_is_a_simple_worker_that_tunes_the_collector_before_it_works() -> None:
    assert issubclass(Worker, SimpleWorker)
    # SimpleWorker.work is replaced by one that prints the thresholds it starts with.
    printed = _run(
        "import gc, rq.worker\n"
        "from smpolicy.worker import Worker\n"
        "rq.worker.SimpleWorker.work = lambda self, *a, **k: print(gc.get_threshold()) or True\n"
        "print(gc.get_threshold())\n"
        "Worker.work(object.__new__(Worker), burst=True)"
    )
    assert printed.splitlines() == ["(700, 10, 10)", str(GC_THRESHOLDS)]
