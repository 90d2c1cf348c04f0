"""Fixtures for the reliability tests: the platform emulator, a Facebook Page wired to it,
connectors that fail fast, and a real ``rqworker`` process working on the test database.

The worker tests run the production path end to end: jobs go through Redis (a database of their
own, so nothing else's queues are touched), a separate ``rqworker`` process with its own
PostgreSQL connection does the work, and the test kills it with SIGKILL at a chosen moment. To
choose that moment without depending on timing, the test holds the audit chain's advisory lock:
every change of state writes its audit event last, inside its transaction, so a worker that
reaches that point waits there with its writes made and not committed, exactly mid-transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from moderation.connectors.base import ChannelConfig, Connector
from moderation.connectors.http import HttpClient
from moderation.connectors.registry import get_connector
from moderation.emulator import Emulator
from moderation.models import Channel
from tests.factories import channel_on

ROOT = Path(__file__).resolve().parents[3]
PAGE_ID = "104857600000999"
APP_SECRET = "reliability-app-secret"
VERIFY_TOKEN = "reliability-verify-token"
# The workers' own Redis database, one per xdist worker (gw0 9, gw1 10, ...): the suite's queues
# and caches use 0 and 1 upwards, the benchmarks 13. Sharing one let a test's worker take jobs
# that another xdist worker's test had enqueued, for rows that are not in its database.
WORKER_REDIS_DB = 9 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
# Generous: a deadline only ends a test that has already failed.
DEADLINE_SECONDS = 180.0
ABUSIVE = "This council is shit and the leader is a fucking idiot"
CLEAN_TOPICS = (
    "When is the brown bin collected on {road}?",
    "The streetlight outside number {n} on {road} has been out for a week",
    "Is the library on {road} open on Saturday mornings?",
    "Thanks for fixing the pothole on {road} so quickly",
    "Where can I find the planning application for {road}?",
    "Will the road closure on {road} affect the number {n} bus?",
)
ROADS = ("Elm Road", "Mill Lane", "Station Street", "Church Walk", "Quarry Hill", "Bridge End")


def clean_text(n: int) -> str:
    """A harmless comment that differs from its neighbours (so no spam rule joins in).

    The reference numbers keep any two of them below the repetition detector's 70% similarity:
    without them, comments from the same template read as a copy-and-paste campaign.
    """
    template = CLEAN_TOPICS[n % len(CLEAN_TOPICS)]
    text = template.format(road=f"{ROADS[(n // 7) % len(ROADS)]} ({n})", n=n)
    return f"{text} (ref {n * 31 % 997} {n * 17 % 991})"


# --- the emulator and a channel on it ----------------------------------------------------------


@pytest.fixture(scope="session")
def running_emulator() -> Iterator[Emulator]:
    emulator = Emulator.start(port=0)
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(running_emulator: Emulator, settings: Any) -> Iterator[Emulator]:
    # Channels may call the emulator only because the deployment names it (connectors/hosts.py).
    settings.PLATFORM_BASE_URL = running_emulator.url
    running_emulator.reset()
    yield running_emulator
    running_emulator.reset()  # also ends any request still hanging on a "hang" fault


@pytest.fixture
def facebook_channel(db: None, emulator: Emulator) -> Channel:
    """A Facebook Page on the emulator whose credentials hold the app secret for webhooks."""
    return channel_on(
        emulator,
        "facebook",
        PAGE_ID,
        name="Council Facebook Page",
        login={
            "access_token": "page-access-token",
            "app_secret": APP_SECRET,
            "verify_token": VERIFY_TOKEN,
        },
        # Polls happen when a test says so, never because a scheduler tick found them due.
        poll_interval_seconds=24 * 3600,
    )


def seed_comments(
    emulator: Emulator, count: int, *, every_abusive: int = 4, posts: int = 4
) -> dict[str, str]:
    """``count`` comments on the Page, one in ``every_abusive`` abusive: {comment id: text}."""
    now = dt.datetime.now(dt.UTC)
    post_ids = [
        emulator.add_post("facebook", PAGE_ID, text=f"Council update {n}", created_at=now)
        for n in range(posts)
    ]
    seeded: dict[str, str] = {}
    for n in range(count):
        text = ABUSIVE + f" ({n})" if n % every_abusive == 0 else clean_text(n)
        comment_id = emulator.add_comment(
            "facebook",
            PAGE_ID,
            post_ids[n % posts],
            text,
            {"id": f"resident-{n}", "handle": f"resident{n}", "name": f"Resident {n}"},
            created_at=now - dt.timedelta(hours=2) + dt.timedelta(seconds=n),
        )
        seeded[comment_id] = text
    return seeded


def hold_abusive_comments(emulator: Emulator, channel: Channel, count: int) -> list[int]:
    """``count`` abusive comments polled and evaluated in-process: one hide waiting for each.

    Outside a worker test nothing is enqueued for real (the test's transaction never commits),
    so the hides stay in the outbox for the test to send.
    """
    from moderation.jobs import evaluate_comments, poll_channel
    from moderation.models import Comment, ModerationAction

    seed_comments(emulator, count, every_abusive=1)
    assert poll_channel(channel.pk) == count
    ids = list(Comment.objects.filter(channel=channel).values_list("pk", flat=True))
    evaluate_comments(ids)
    assert ModerationAction.objects.filter(kind="hide", state="pending").count() == count
    return ids


def hides_per_comment(emulator: Emulator) -> dict[str, int]:
    """How many hide calls reached the platform, per comment id."""
    counts: dict[str, int] = {}
    for action in emulator.actions:
        if action["action"] == "hide":
            counts[action["target"]] = counts.get(action["target"], 0) + 1
    return counts


# --- connectors that fail fast -----------------------------------------------------------------


@pytest.fixture
def quick_connectors(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Connectors with short timeouts and one quick retry, whose waits are recorded, not slept.

    The outbox's own schedule (pending rows with ``next_attempt_at``) then does the retrying
    that matters, which is what these tests are about. Returns the waits the clients asked for.
    """
    waits: list[float] = []

    def quick_connector(config: ChannelConfig, http: HttpClient | None = None) -> Connector:
        client = HttpClient(timeout=(2.0, 1.5), max_retries=1, sleep=waits.append)
        return get_connector(config, client)

    monkeypatch.setattr("moderation.channel_connector.get_connector", quick_connector)
    return waits


# --- a real worker process ---------------------------------------------------------------------


def wait_for(condition: Callable[[], Any], what: str, deadline: float = DEADLINE_SECONDS) -> Any:
    """Poll ``condition`` until it is truthy; fail with ``what`` after a generous deadline."""
    give_up = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def _database_url() -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"


def _conninfo() -> str:
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=params["NAME"],
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or "127.0.0.1",
        port=str(params.get("PORT") or 5432),
    )


@dataclass
class Workers:
    """Start ``rqworker`` processes on the test database and a Redis database of their own."""

    redis_url: str
    log_dir: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "RQ_ASYNC": "true",
            "LOG_LEVEL": "INFO",
            "DJANGO_SETTINGS_MODULE": "smpolicy.settings",
            "PLATFORM_BASE_URL": settings.PLATFORM_BASE_URL,
        }

    def queue(self, name: str) -> Any:
        import redis
        from rq import Queue

        return Queue(name, connection=redis.Redis.from_url(self.redis_url))

    def enqueue(self, queue: str, job: Callable[..., Any], *args: Any) -> None:
        self.queue(queue).enqueue(job, *args)

    def start(self, *queues: str, burst: bool = True) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker-{len(self.processes) + 1}.log").open("wb")
        command = [sys.executable, "manage.py", "rqworker"]
        command += ["--worker-class", "smpolicy.worker.Worker", *queues]
        if burst:
            command.append("--burst")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.processes.append(process)
        return process

    def log(self) -> str:
        """Every worker's log, for an assertion message."""
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.log_dir.glob("worker-*.log"))
        )

    def finish(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for a burst worker to empty its queues and exit cleanly."""
        wait_for(lambda: process.poll() is not None, f"the worker to finish\n{self.log()}")
        assert process.returncode == 0, self.log()
        own_log = self.log_dir / f"worker-{self.processes.index(process) + 1}.log"
        assert "Traceback" not in own_log.read_text(errors="replace"), self.log()

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def workers(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Workers]:
    """Real workers; and every job this test process enqueues goes to their queues."""
    if not settings.REDIS_URL:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must run the worker tests, but REDIS_URL is not set.")
        pytest.skip("needs Redis (runs in CI)")
    import redis

    redis_url = f"{settings.REDIS_URL.rsplit('/', 1)[0]}/{WORKER_REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    kit = Workers(redis_url=redis_url, log_dir=tmp_path)
    # The scheduler's and the actions' enqueues (smpolicy.queue) reach the same queues.
    monkeypatch.setattr("smpolicy.queue.get_queue", kit.queue)
    yield kit
    for process in kit.processes:
        if process.poll() is None:
            kit.kill(process)
    redis.Redis.from_url(redis_url).flushdb()


@contextmanager
def audit_chain_held() -> Iterator[Callable[[], int]]:
    """Hold the audit chain's lock; yields a function that waits for a worker to block on it.

    That function returns the blocked backend's process id. On leaving, the lock is released.
    """
    from accounts.audit import CHAIN_LOCK_KEY

    with psycopg.connect(_conninfo()) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])

        def blocked_backend() -> int:
            def waiting() -> int | None:
                with psycopg.connect(_conninfo(), autocommit=True) as probe:
                    row = probe.execute(
                        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    ).fetchone()
                return int(row[0]) if row else None

            pid: int = wait_for(waiting, "a worker to reach its audit write")
            return pid

        try:
            yield blocked_backend
        finally:
            holder.rollback()


def wait_for_backend_to_end(pid: int) -> None:
    """A killed worker's server process notices the lost client once it can run again."""

    def gone() -> bool:
        with psycopg.connect(_conninfo(), autocommit=True) as probe:
            row = probe.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            return row.fetchone() == (0,)

    wait_for(gone, f"backend {pid} to roll back and end")
