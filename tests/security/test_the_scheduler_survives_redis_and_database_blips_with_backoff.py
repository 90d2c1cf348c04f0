"""``run_scheduler`` keeps going through Redis and database outages, pausing longer after each
failed tick, and is back to its usual pace (and heartbeat) once they return.

The penetration test saw it exit on the first Redis error. Here its real tick runs against a
queue connection to a closed port (Redis down), then against a database whose every statement
fails as after a dropped connection, then against both working again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from accounts.audit import SystemActor
from moderation import scheduler
from moderation.actions import do_hide_comment
from moderation.jobs import dispatch_due_work
from moderation.models import Comment, ServiceHeartbeat
from smpolicy.queue import _cached_queue, hold_queues
from tests.factories import ChannelFactory, CommentFactory

TICK = 5.0


@contextmanager
def redis_down(settings) -> Iterator[None]:
    working = settings.RQ_QUEUES
    settings.RQ_QUEUES = {n: {**c, "URL": "redis://127.0.0.1:1/0"} for n, c in working.items()}
    _cached_queue.cache_clear()
    try:
        yield
    finally:
        settings.RQ_QUEUES = working
        _cached_queue.cache_clear()


@contextmanager
def database_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def dropped(self: CursorWrapper, sql: str, params: object = None) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", dropped)
        yield


# The loop closes unusable and stale connections as Django does around requests, which a test
# wrapped in a transaction would not survive: this one commits for real.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_survives_outages_with_growing_pauses(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not settings.REDIS_URL:
        pytest.skip("needs the Redis-backed queues (runs in CI)")
    channel = ChannelFactory(last_polled_at=timezone.now(), poll_interval_seconds=3600)
    with hold_queues("actions"):
        do_hide_comment(
            CommentFactory(channel=channel, status=Comment.Status.REVIEW),
            actor=SystemActor.system("test"),
        )  # an outbox row due now: the tick must enqueue it
    outages = [
        lambda: redis_down(settings),
        lambda: redis_down(settings),
        lambda: database_down(monkeypatch),
        lambda: hold_queues("actions"),  # both back (the hide is kept off the network)
        lambda: hold_queues("actions"),
    ]
    pauses: list[float] = []

    def tick() -> dict[str, int]:
        with outages[len(pauses)]():
            return dispatch_due_work()

    scheduler.run(
        TICK, stopping=lambda: len(pauses) == len(outages), sleep=pauses.append, dispatch=tick
    )

    assert pauses == [2 * TICK, 4 * TICK, 8 * TICK, TICK, TICK]
    beat = ServiceHeartbeat.objects.get(name="scheduler")
    assert (timezone.now() - beat.beat_at).total_seconds() < 60
    assert beat.detail["actions"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_pause_never_grows_past_a_minute() -> None:
    pauses: list[float] = []

    def always_down() -> dict[str, int]:
        raise OperationalError("could not connect to server")

    scheduler.run(
        TICK, stopping=lambda: len(pauses) == 8, sleep=pauses.append, dispatch=always_down
    )

    assert pauses[-3:] == [60.0, 60.0, 60.0]


@pytest.mark.django_db(transaction=True)
def test_a_bug_in_a_tick_still_stops_the_scheduler_with_its_traceback() -> None:
    def broken() -> dict[str, int]:
        raise KeyError("a bug, not an outage")

    with pytest.raises(KeyError):
        scheduler.run(TICK, sleep=lambda _: None, dispatch=broken)
