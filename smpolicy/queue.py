"""Queue set-up: every job is enqueued through ``enqueue_on_commit``.

Jobs take ids and are enqueued only once the transaction that created their rows has committed,
so a worker never looks for a row that is not there yet (pretix ``TransactionAwareTask``, Zulip
``queue_event_on_commit``). With no ``REDIS_URL`` (the embedded demo) the job runs in-process right
after the commit instead; with ``RQ_ASYNC=false`` (the test suite) it runs synchronously through
the real Redis-backed queue, so job arguments still round-trip through Redis.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

_held: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "held_queues", default=frozenset()
)


@contextmanager
def hold_queues(*queues: str) -> Iterator[None]:
    """Do not run or enqueue jobs for these queues inside the block.

    Only for queues whose work is also recorded as rows that the scheduler picks up when due
    (the outbox): loading the demo before the platforms are reachable, for instance.
    """
    token = _held.set(_held.get() | frozenset(queues))
    try:
        yield
    finally:
        _held.reset(token)


def enqueue_on_commit(queue: str, job: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``job(*args, **kwargs)`` on ``queue`` after the current transaction commits."""
    if queue not in settings.QUEUE_NAMES:
        raise ValueError(f"Unknown queue {queue!r}; known: {settings.QUEUE_NAMES}")
    transaction.on_commit(lambda: enqueue_now(queue, job, *args, **kwargs))


def enqueue_now(queue: str, job: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue immediately. Only for callers outside any transaction (schedulers, commands)."""
    if queue in _held.get():
        log.debug("queue %s is held; %s will be picked up by the scheduler", queue, job.__name__)
        return
    if not settings.REDIS_URL:
        job(*args, **kwargs)
        return
    import django_rq

    django_rq.get_queue(queue).enqueue(job, *args, **kwargs)


def redis_connection() -> Any:
    """The Redis connection jobs use, or None on the embedded default."""
    if not settings.REDIS_URL:
        return None
    import django_rq

    return django_rq.get_connection("default")
