"""``/healthz``: for load balancers and monitoring, without signing in. It says whether the
database, Redis, the workers and the scheduler work and how much work waits, with 503 only when
the console cannot serve at all (no database); never host names, errors or anything written."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from moderation.models import ServiceHeartbeat
from smpolicy.queue import _cached_queue
from tests.factories import CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _health(client: Client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_it_answers_without_signing_in_with_every_check(client: Client) -> None:
    ServiceHeartbeat.objects.create(name="scheduler", beat_at=timezone.now())

    status, body = _health(client)

    assert status == 200
    assert set(body["checks"]) == {"database", "redis", "workers", "scheduler", "queues", "outbox"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["scheduler"]["ok"] is True
    assert body["status"] in ("ok", "degraded")


def test_a_scheduler_that_stopped_ticking_makes_it_degraded(client: Client) -> None:
    now = timezone.now()
    ServiceHeartbeat.objects.create(name="scheduler", beat_at=now - dt.timedelta(minutes=10))

    with time_machine.travel(now, tick=False):
        status, body = _health(client)

    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["scheduler"] == {"ok": False, "last_tick_seconds_ago": 600}


def test_redis_down_is_degraded_and_says_nothing_of_where_it_is(client: Client, settings) -> None:
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (runs in CI)")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    _cached_queue.cache_clear()

    status, body = _health(client)

    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["redis"] == {"ok": False, "used": True}
    assert body["checks"]["workers"]["ok"] is False
    text = json.dumps(body)
    for secret in ("127.0.0.1", ":1", "Connection refused", "Error 111", "redis://"):
        assert secret not in text


def test_no_database_is_down_with_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OperationalError('connection to server at "10.1.2.3", port 5432 failed')

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refused)

    status, body = _health(client)

    assert status == 503
    assert body["status"] == "down"
    assert "10.1.2.3" not in json.dumps(body)


def test_nothing_anyone_wrote_is_in_it(client: Client) -> None:
    CommentFactory(text="Jane Doe of 12 Acacia Avenue, 07700 900123")
    assert "Acacia" not in client.get("/healthz").content.decode()


def test_admins_see_the_same_checks_with_details_on_the_status_page(adam) -> None:
    ServiceHeartbeat.objects.create(name="scheduler", beat_at=timezone.now())

    page = signed_in(Client(), adam).get("/settings/status/").content.decode()

    for part in ("Database", "Redis", "Workers", "Scheduler", "Queues", "Outboxes"):
        assert f'<th scope="row">{part}</th>' in page
    assert re.search(r"last tick \d+ s ago", page)


def test_a_worker_still_counts_after_redis_restarted_without_its_data(
    client: Client, settings
) -> None:
    """rq lists its workers in one set, which a Redis restarted without persistence loses; each
    running worker writes its own record again at its next heartbeat (seen by hand: /healthz
    said "no workers" while one was sending the outbox)."""
    import redis
    from rq import Worker

    if not settings.REDIS_URL:
        pytest.skip("needs Redis (runs in CI)")
    settings.REDIS_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/12"  # a database of its own
    connection = redis.Redis.from_url(settings.REDIS_URL)
    connection.flushdb()
    worker = Worker(["default", "ingest", "actions"], connection=connection)
    worker.register_birth()
    worker.heartbeat()
    connection.delete("rq:workers")  # the restart lost the list, not the worker's own record
    try:
        _, body = _health(client)
    finally:
        connection.flushdb()

    assert body["checks"]["workers"]["ok"] is True
    assert body["checks"]["workers"]["alive"] == 1
