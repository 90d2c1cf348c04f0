"""``manage.py run_demo`` closes the database connection of each request it served.

runserver serves each request in a thread of its own, and Django keeps a connection open for
CONN_MAX_AGE after its request in case the same thread serves another; the demo's threads end
instead, leaving their connections open (the penetration test counted 54 after a storm). The
demo runs here as its own process against the test database, takes a storm of 600 requests from
60 threads, and the test counts the connections PostgreSQL still holds for it.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
# Generous: a deadline only ends a test that has already failed.
DEADLINE_SECONDS = 60.0
STORM = 600


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _conninfo() -> str:
    params = connection.settings_dict
    return (
        f"host={params.get('HOST') or '127.0.0.1'} port={params.get('PORT') or 5432} "
        f"user={params['USER']} dbname={params['NAME']}"
        + (f" password={params['PASSWORD']}" if params.get("PASSWORD") else "")
    )


def _database_url() -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def demo() -> Iterator[str]:
    web, emulator = _free_port(), _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": "",
        "DEBUG": "true",
        "PLATFORM_BASE_URL": f"http://127.0.0.1:{emulator}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_demo", "--addr", f"127.0.0.1:{web}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{web}"
    give_up = time.monotonic() + DEADLINE_SECONDS
    while _get(f"{url}/accounts/sign-in/") != 200:
        assert process.poll() is None, "run_demo exited"
        assert time.monotonic() < give_up, "run_demo did not start"
        time.sleep(0.2)
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def _open_connections(watcher: psycopg.Connection) -> int:
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()"
    ).fetchone()
    return int(row[0]) if row else 0


def test_a_storm_of_requests_leaves_no_database_connections_open(demo: str) -> None:
    with psycopg.connect(_conninfo(), autocommit=True) as watcher:
        before = _open_connections(watcher)
        paths = ["/accounts/sign-in/", "/queue/", "/healthz"]
        with concurrent.futures.ThreadPoolExecutor(60) as pool:
            answers = list(pool.map(lambda n: _get(demo + paths[n % len(paths)]), range(STORM)))
        assert answers.count(200) >= STORM // 2

        # The last requests' connections close as their responses finish: wait for them, up to
        # a deadline that only a leak reaches.
        give_up = time.monotonic() + DEADLINE_SECONDS
        while (left := _open_connections(watcher)) > before + 2:
            assert time.monotonic() < give_up, f"{left - before} connections left open"
            time.sleep(0.2)
