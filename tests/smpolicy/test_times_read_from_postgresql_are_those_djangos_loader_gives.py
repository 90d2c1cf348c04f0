"""The fast ``timestamptz`` loader gives exactly what Django's own loader gives, or defers to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from smpolicy.database import UtcTimestampLoader

TIMES = [
    "2026-11-24 02:00:41.127583+00",
    "2026-11-24 02:00:41.12+00",
    "2026-11-24 02:00:41+00",
    "2026-03-29 01:30:00+01",  # written with an offset: the session's zone is UTC, so PG converts
    "0099-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _read(sql: str, *, djangos: bool) -> list[object]:
    with connection.cursor() as cursor:
        if djangos:
            register_tzloader(dt.UTC, cursor.cursor)
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_every_connection_reads_times_with_the_fast_loader() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, 0
    )
    assert loader is UtcTimestampLoader


@pytest.mark.django_db
def test_times_are_the_same_aware_utc_datetimes_as_djangos() -> None:
    values = ", ".join(f"('{t}'::timestamptz)" for t in TIMES)
    sql = f"SELECT t FROM (VALUES {values}) AS v(t)"
    fast = _read(sql, djangos=False)
    slow = _read(sql, djangos=True)
    assert fast == slow
    assert all(isinstance(t, dt.datetime) and t.tzinfo is dt.UTC for t in fast)
    assert fast[0] == dt.datetime(2026, 11, 24, 2, 0, 41, 127583, tzinfo=dt.UTC)
    assert fast[3] == dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_what_it_cannot_read_goes_to_djangos_loader() -> None:
    # PostgreSQL writes BC dates with a suffix, which fromisoformat refuses; Django's loader
    # then says what it says for them (an error: Python has no year 0), not something else.
    sql = "SELECT '0044-03-15 12:00:00+00 BC'::timestamptz"
    with pytest.raises(Exception) as fast_error:
        _read(sql, djangos=False)
    with pytest.raises(Exception) as slow_error:
        _read(sql, djangos=True)
    assert type(fast_error.value) is type(slow_error.value)
