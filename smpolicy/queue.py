"""Queue set-up: every job is enqueued through ``enqueue_on_commit`` or ``enqueue_each_on_commit``.

Jobs take ids and are enqueued only once the transaction that created their rows has committed,
so a worker never looks for a row that is not there yet (pretix ``TransactionAwareTask``, Zulip
``queue_event_on_commit``). With no ``REDIS_URL`` (the embedded demo) the job runs in-process right
after the commit instead; with ``RQ_ASYNC=false`` (the test suite) it runs synchronously through
the real Redis-backed queue, so job arguments still round-trip through Redis.

Every enqueue goes through ``enqueue_each_now``: the one place tests redirect or record jobs.
A job may be given as a function or as its dotted path (``"moderation.jobs.poll_channel"``), so
that actions can enqueue jobs without importing the modules that hold them.

An enqueue after a commit that cannot reach Redis is logged, not raised: the change it follows is
committed, so the person who made it is told it is done, and every job enqueued on commit has
its work recorded in rows that the scheduler finds again when Redis is back (outbox rows that
are due, comments still unevaluated, notifications not sent, backtests still queued).
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

if TYPE_CHECKING:
    from rq import Queue

Job = Callable[..., Any] | str  # a function, or its dotted path

log = logging.getLogger(__name__)

_held: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "held_queues", default=frozenset()
)


def current_job_id() -> str:
    """The rq job running this code, for audit events; "" outside a worker."""
    try:
        from rq import get_current_job  # rq is only importable with a worker's set-up

        job = get_current_job()
        return job.id if job is not None else ""
    except Exception:  # outside a worker there is no job
        return ""


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


def _check_queue(queue: str) -> None:
    if queue not in settings.QUEUE_NAMES:
        raise ValueError(f"Unknown queue {queue!r}; known: {settings.QUEUE_NAMES}")


def enqueue_on_commit(queue: str, job: Job, *args: Any) -> None:
    """Enqueue ``job(*args)`` on ``queue`` after the current transaction commits."""
    enqueue_each_on_commit(queue, job, [args])


def enqueue_each_on_commit(queue: str, job: Job, calls: Iterable[Sequence[Any]]) -> None:
    """Enqueue ``job(*args)`` for each ``args`` in ``calls``, together, after the commit.

    A batch of evaluations can decide thousands of hides: one Redis round trip for all of them
    instead of one per job.
    """
    _check_queue(queue)
    calls = [tuple(args) for args in calls]
    if calls:
        transaction.on_commit(lambda: _enqueue_after_commit(queue, job, calls))


def _enqueue_after_commit(queue: str, job: Job, calls: Sequence[Sequence[Any]]) -> None:
    try:
        enqueue_each_now(queue, job, calls)
    except (RedisError, OSError) as error:
        log.error(
            "Could not enqueue %d %s job(s) on %s (%s); the scheduler will find the work again",
            len(calls),
            job if isinstance(job, str) else getattr(job, "__name__", job),
            queue,
            error,
        )


def enqueue_now(queue: str, job: Job, *args: Any) -> None:
    """Enqueue immediately. Only for callers outside any transaction (schedulers, commands)."""
    enqueue_each_now(queue, job, [args])


def enqueue_each_now(queue: str, job: Job, calls: Sequence[Sequence[Any]]) -> None:
    """Enqueue ``job(*args)`` for each ``args`` in ``calls`` now, in one Redis pipeline."""
    _check_queue(queue)
    if queue in _held.get():
        log.debug("queue %s is held; %s will be picked up by the scheduler", queue, job)
        return
    if not settings.REDIS_URL:
        function = import_string(job) if isinstance(job, str) else job
        for args in calls:
            function(*args)
        return
    rq_queue = get_queue(queue)
    target: Any = job  # rq takes a function or its dotted path
    if not rq_queue.is_async:
        # Synchronous queues run each job as it is enqueued; a pipeline would defer nothing.
        for args in calls:
            rq_queue.enqueue(target, *args)
        return
    rq_queue.enqueue_many([rq_queue.prepare_data(target, args=tuple(args)) for args in calls])


def get_queue(queue: str) -> Queue:
    """The process's queue object, with one Redis connection pool for all its enqueues."""
    config = settings.RQ_QUEUES[queue]
    return _cached_queue(queue, config["URL"], config.get("ASYNC", True))


@functools.cache
def _cached_queue(queue: str, url: str, is_async: bool) -> Queue:
    # django_rq.get_queue builds a new Redis client, and so a new TCP connection, on every call.
    # The client is thread-safe and notices a fork, so one per process and configuration will do.
    import django_rq

    return django_rq.get_queue(queue, is_async=is_async)
