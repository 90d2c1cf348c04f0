"""A poll's pages, fetched ahead in a thread while the job stores the pages before them.

Storing a batch waits on PostgreSQL (the INSERT, the commit) and fetching a page waits on the
platform; one after the other, a poll spends a large part of its time waiting. Fetching in a
thread lets the next pages arrive, and be parsed, while the job waits on the database. Python
runs one thread at a time, so this gains only the waits (measured by bench/speedups.py).

What does not change: pages come in order, each once; the job stores them exactly as before;
an error fetching a page reaches the job at that page, after the pages before it. The thread
never stores anything. It touches the database only if the platform asks for a new access token
mid-poll (``connector_for`` saves it at once, on the thread's own connection, closed when the
thread ends). The first page is fetched by the job itself, so the usual refresh, of a token
that expired between polls, happens on the job's own connection, as before.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Iterator
from typing import cast

from django.db import connections

from moderation.connectors.base import Connector, Page

# How many pages the thread may hold ready: two store batches of ten 100-comment pages.
AHEAD = 20
_DONE = object()


def caught_up(page: Page, cursor: str | None) -> bool:
    """The platform has nothing after this page (no cursor, or the same one again)."""
    return not page.next_cursor or page.next_cursor == cursor


class PagesAhead:
    """Iterate over at most ``limit`` pages from ``cursor``; use as a context manager, so that
    the thread stops if the job stops reading early (an error while storing)."""

    def __init__(self, connector: Connector, cursor: str | None, *, limit: int) -> None:
        self._connector = connector
        self._cursor = cursor
        self._limit = limit
        self._ready: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PagesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def __iter__(self) -> Iterator[Page]:
        if self._limit < 1:
            return
        page = self._connector.fetch_comments(self._cursor)
        yield page
        if caught_up(page, self._cursor) or self._limit == 1:
            return
        self._thread = threading.Thread(
            target=contextvars.copy_context().run,  # the job's audit context, for a refresh
            args=(self._fetch, page.next_cursor, self._limit - 1),
            name="poll-read-ahead",
            daemon=True,
        )
        self._thread.start()
        while True:
            item = self._ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield cast(Page, item)

    def _fetch(self, cursor: str | None, remaining: int) -> None:
        try:
            while remaining and not self._stop.is_set():
                page = self._connector.fetch_comments(cursor)
                self._hand_over(page)
                remaining -= 1
                if caught_up(page, cursor):
                    break
                cursor = page.next_cursor
        except BaseException as error:  # handed to the job, which raises it at this page
            self._hand_over(error)
        finally:
            self._hand_over(_DONE)
            connections.close_all()  # only this thread's own, if a token refresh opened one

    def _hand_over(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
