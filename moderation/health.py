"""How the services are: the database, Redis, the workers, the scheduler, queues and outboxes.

``/healthz`` answers load balancers and monitoring without signing in, so it says only whether
each part works and how much work waits: no host names, versions, error messages or anything a
person wrote. Admins' status page shows the same checks with more detail (``detail``).
Checks that need Redis give up within half a second, so the page stays quick while it is down.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.worker import BaseWorker

from moderation.models import ModerationAction, Notification, QuarantinedItem, ServiceHeartbeat

REDIS_TIMEOUT_SECONDS = 0.5
# The scheduler ticks every 5 s and pauses at most a minute after failures.
SCHEDULER_LATE_AFTER = dt.timedelta(minutes=2)
# rq workers write their heartbeat at least every 90 s or so (their default timeouts).
WORKER_LATE_AFTER = dt.timedelta(minutes=3)


@dataclass
class Check:
    ok: bool
    summary: dict[str, Any] = field(default_factory=dict)  # safe for /healthz
    detail: dict[str, Any] = field(default_factory=dict)  # for admins only


@dataclass
class Health:
    checks: dict[str, Check]

    @property
    def status(self) -> str:
        """ "down" without the database (nothing works), "degraded" when anything else fails."""
        if not self.checks["database"].ok:
            return "down"
        return "ok" if all(c.ok for c in self.checks.values()) else "degraded"

    def public(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "checks": {name: {"ok": c.ok, **c.summary} for name, c in self.checks.items()},
        }


def health() -> Health:
    database = _database()
    client = _redis_client()
    queues, workers = _queues_and_workers(client)
    checks = {
        "database": database,
        "redis": _redis(client),
        "workers": workers,
        "queues": queues,
    }
    if database.ok:
        checks["scheduler"] = _scheduler()
        checks["outbox"] = _outbox()
    else:
        checks["scheduler"] = Check(False, {"last_tick_seconds_ago": None})
        checks["outbox"] = Check(False)
    return Health(checks)


def _database() -> Check:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check(False, detail={"error": type(error).__name__})
    return Check(True, {"ms": round(1000 * (time.monotonic() - started), 1)})


def _redis_client() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


def _redis(client: redis.Redis | None) -> Check:
    if client is None:
        return Check(True, {"used": False})  # the embedded demo: jobs run in-process
    started = time.monotonic()
    try:
        client.ping()
    except (RedisError, OSError) as error:
        return Check(False, {"used": True}, {"error": type(error).__name__})
    return Check(True, {"used": True, "ms": round(1000 * (time.monotonic() - started), 1)})


def _queues_and_workers(client: redis.Redis | None) -> tuple[Check, Check]:
    if client is None:
        return Check(True, {"in_process": True}), Check(True, {"in_process": True})
    try:
        depths = {name: len(Queue(name, connection=client)) for name in settings.QUEUE_NAMES}
        found = _workers(client)
    except (RedisError, OSError):
        waiting = dict.fromkeys(settings.QUEUE_NAMES)
        return Check(False, {"waiting": waiting}), Check(False, {"alive": None})
    now = timezone.now()
    alive = [w for w in found if _recent(w.last_heartbeat, now, WORKER_LATE_AFTER)]
    serving = {name for w in alive for name in w.queue_names()}
    # A worker whose record lost its queues (Redis restarted without its data) may serve any.
    unknown = any(not w.queue_names() for w in alive)
    workers = Check(
        bool(alive) and (unknown or serving >= set(settings.QUEUE_NAMES)),
        {
            "alive": len(alive),
            "queues_without_a_worker": (
                [] if unknown else sorted(set(settings.QUEUE_NAMES) - serving)
            ),
        },
        {
            "workers": [
                {
                    "name": w.name,
                    "queues": w.queue_names(),
                    "state": w.get_state(),
                    "last_heartbeat": w.last_heartbeat,
                }
                for w in found
            ]
        },
    )
    return Check(True, {"waiting": depths}), workers


def _workers(client: redis.Redis) -> list[BaseWorker]:
    """rq's list of workers, and any worker whose own record is there but not on the list: a
    Redis restarted without its data loses the list, while running workers write their records
    again at their next heartbeat."""
    listed = Worker.all(connection=client)
    known = {w.key for w in listed}
    prefix = Worker.redis_worker_namespace_prefix
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        name = key.decode() if isinstance(key, bytes) else str(key)
        if name not in known and ":" not in name.removeprefix(prefix):
            worker = Worker.find_by_key(name, connection=client)
            if worker is not None:
                listed.append(worker)
    return listed


def _recent(moment: dt.datetime | None, now: dt.datetime, within: dt.timedelta) -> bool:
    if moment is None:
        return False
    if timezone.is_naive(moment):  # rq writes UTC without a zone
        moment = moment.replace(tzinfo=dt.UTC)
    return now - moment <= within


def _scheduler() -> Check:
    beat = ServiceHeartbeat.objects.filter(name="scheduler").first()
    if beat is None:
        return Check(False, {"last_tick_seconds_ago": None})
    ago = (timezone.now() - beat.beat_at).total_seconds()
    return Check(
        ago <= SCHEDULER_LATE_AFTER.total_seconds(),
        {"last_tick_seconds_ago": round(ago)},
        {"last_tick": beat.beat_at, "last_counts": beat.detail},
    )


def _outbox() -> Check:
    now = timezone.now()
    waiting = (ModerationAction.State.PENDING, ModerationAction.State.SENDING)
    actions_due = ModerationAction.objects.filter(
        state__in=waiting, next_attempt_at__lte=now - dt.timedelta(minutes=5)
    ).count()
    notifications = Notification.objects.exclude(state=Notification.State.SENT)
    late = notifications.filter(created_at__lte=now - dt.timedelta(minutes=5))
    failing = notifications.exclude(last_error="").order_by("created_at").first()
    return Check(
        actions_due == 0 and not late.exists(),
        {
            "platform_actions_overdue": actions_due,
            "platform_actions_failed": ModerationAction.objects.filter(
                state=ModerationAction.State.FAILED
            ).count(),
            "notifications_waiting": notifications.count(),
        },
        {
            "oldest_failing_notification": failing,
            "quarantined_last_day": QuarantinedItem.objects.filter(
                created_at__gte=now - dt.timedelta(days=1)
            ).count(),
        },
    )
