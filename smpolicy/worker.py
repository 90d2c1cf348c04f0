"""The rq worker this project runs: rq's SimpleWorker, with the garbage collector set for batches.

    python manage.py rqworker --worker-class smpolicy.worker.Worker ingest actions default

SimpleWorker runs each job in the worker's own process (no fork per job), so compiled rule sets
and imports stay warm between jobs. A worker then lives for days and evaluates batches that
allocate millions of short-lived objects. With Python's default thresholds (700, 10, 10) the
garbage collector runs full collections every few thousand comments, each walking the objects
of Django, the connectors and the compiled rules, which never die. ``tune_garbage_collector``
freezes what start-up loaded, so no collection walks it again (``gc.freeze``, which CPython
offers for objects that live as long as the process), and lets the young generation grow to
10,000 objects before it is collected.
"""

from __future__ import annotations

import gc
from typing import Any

from rq.worker import SimpleWorker

GC_THRESHOLDS = (10_000, 20, 20)


def tune_garbage_collector() -> None:
    """Freeze every object alive now, and collect young objects less often (see above)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class Worker(SimpleWorker):
    """SimpleWorker, with the garbage collector tuned once its start-up is done."""

    def work(self, *args: Any, **kwargs: Any) -> bool:
        tune_garbage_collector()
        return super().work(*args, **kwargs)
