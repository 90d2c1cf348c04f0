"""The scheduler's loop (``manage.py run_scheduler``): one tick every few seconds, for as long as
the process runs, whatever Redis and the database do meanwhile.

A tick that fails because Redis or the database cannot be reached is logged and tried again
after a pause that doubles with each failure in a row (up to a minute), and the database
connection is dropped if it broke, so the next tick opens a fresh one. Work a failed tick did not
enqueue is found again by the next one (it is all recorded as due rows). Each tick that succeeds
writes the scheduler's heartbeat, which /healthz and the admins' status page show.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

from django.db import DatabaseError, connections
from django.utils import timezone
from redis.exceptions import RedisError

from moderation.jobs import dispatch_due_work
from moderation.models import ServiceHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT = "scheduler"
MAX_PAUSE_SECONDS = 60.0
# What a tick survives: the services going away. Anything else is a bug and stops the process
# (its supervisor restarts it, and the traceback is in the log).
RECOVERABLE = (RedisError, DatabaseError, OSError)


def run(
    tick: float,
    *,
    once: bool = False,
    stopping: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
    dispatch: Callable[[], Mapping[str, int]] = dispatch_due_work,
    report: Callable[[Mapping[str, int]], None] = lambda counts: None,
) -> None:
    failures = 0
    while not stopping():
        refresh_connections()
        try:
            counts = dispatch()
            beat(counts)
        except RECOVERABLE as error:
            failures += 1
            pause = min(MAX_PAUSE_SECONDS, tick * 2**failures)
            log.warning(
                "Scheduler tick failed (%s: %s); trying again in %.0f s",
                type(error).__name__,
                error,
                pause,
            )
            refresh_connections()  # drops a connection the error left unusable
        else:
            failures, pause = 0, tick
            report(counts)
        if once:
            return
        sleep(pause)


def refresh_connections() -> None:
    """Close connections that are broken or past CONN_MAX_AGE, as Django does around each
    request; never one inside a transaction (the scheduler holds none between ticks; a test
    that runs it inside its own does)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def beat(counts: Mapping[str, int], name: str = HEARTBEAT) -> None:
    """Say this process is alive, for the Status page: bookkeeping, not an audited change."""
    ServiceHeartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "detail": dict(counts)}
    )
