"""A throwaway PostgreSQL database and Redis for a benchmark run, set up before Django starts."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")


def bench_environment(database: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"{SERVER}/{database}",
        "REDIS_URL": REDIS,
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "CREDENTIALS_KEY": "dGVzdC1vbmx5LWNyZWRlbnRpYWxzLWtleS0zMmJ5dGU=",
        "AUDIT_HMAC_KEY": "bench-only-audit-hmac-key-not-for-production-0123456789",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "smpolicy.settings",
        # Jobs go to the workers even from a shell that exported the test suite's "false".
        "RQ_ASYNC": "true",
    }


def fresh_database(database: str) -> dict[str, str]:
    """Drop and create ``database``, point this process at it, set Django up and migrate it."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    env = bench_environment(database)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    return env


def machine_speed() -> str:
    """How fast this machine is at the moment of a benchmark: Python, and a round trip to
    PostgreSQL (best of three of each).

    The machines these benchmarks run on are shared, and their speed moves within minutes, for
    Python and for the round trip to PostgreSQL separately. Printing both beside the figures
    says how far runs made at different times can be compared.
    """
    import time

    import psycopg

    loop = trip = float("inf")
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        for _ in range(3):
            started = time.perf_counter()
            total = 0
            for step in range(10_000_000):
                total += step
            loop = min(loop, time.perf_counter() - started)
            started = time.perf_counter()
            for _ in range(1_000):
                conn.execute("SELECT 1")
            trip = min(trip, (time.perf_counter() - started) / 1_000)
    return (
        f"10 million steps of a Python loop {loop:.2f} s; PostgreSQL round trip {trip * 1e6:.0f} µs"
    )
