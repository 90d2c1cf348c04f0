"""On SQLite (the demo), a request that reads and then writes while the in-process worker is
writing waits for it instead of failing with "database is locked" (an officer's undo answered 500
while the hide was being sent). Transactions take SQLite's write lock when they begin, so a
waiting writer is queued behind the busy timeout, for the default database and for a
``DATABASE_URL=sqlite:///…`` alike."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from smpolicy.settings import sqlite_database


@contextmanager
def transaction_on(database: DatabaseWrapper) -> Iterator[Any]:
    """What ``transaction.atomic`` does on a connection of its own (one per thread)."""
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with database.cursor() as cursor:
            yield cursor
        database.commit()
    finally:
        database.set_autocommit(True)
        database.close()


@pytest.mark.parametrize("from_url", [False, True])
def test_a_reader_that_writes_waits_for_the_writer(
    tmp_path: Path, from_url: bool, django_db_blocker: Any
) -> None:
    # A file of its own, not the test database: pytest-django need not guard it.
    with django_db_blocker.unblock():
        reader_then_writer_waits(tmp_path, from_url)


def reader_then_writer_waits(tmp_path: Path, from_url: bool) -> None:
    name = str(tmp_path / "demo.sqlite3")
    chosen = {**sqlite_database(f"sqlite:///{name}" if from_url else name), "NAME": name}
    config = connections.configure_settings({"default": chosen})["default"]  # with the defaults
    web = DatabaseWrapper(config, alias="web")
    with web.cursor() as cursor:
        cursor.execute("CREATE TABLE item (id integer PRIMARY KEY, state text)")
        cursor.execute("INSERT INTO item VALUES (1, 'hidden')")
    worker_is_writing, web_has_read = threading.Event(), threading.Event()

    def worker_sends() -> None:
        with transaction_on(DatabaseWrapper(config, alias="worker")) as cursor:
            cursor.execute("UPDATE item SET state = 'sending' WHERE id = 1")
            worker_is_writing.set()
            web_has_read.wait(timeout=2)

    worker = threading.Thread(target=worker_sends)
    worker.start()
    assert worker_is_writing.wait(timeout=5)
    try:
        with transaction_on(web) as cursor:
            threading.Timer(0.3, web_has_read.set).start()
            cursor.execute("SELECT state FROM item WHERE id = 1")
            cursor.execute("UPDATE item SET state = 'undone' WHERE id = 1")
        with web.cursor() as cursor:
            cursor.execute("SELECT state FROM item")
            assert cursor.fetchone() == ("undone",)
    finally:
        web_has_read.set()
        worker.join()
        web.close()
