"""A poll's pages are fetched ahead in a thread, yet arrive exactly as fetching in turn gave them.

In order and once each; no page past the one that says "caught up" or past the limit; an error
at the page where it happened, after the pages before it; the thread stopped when the job stops
reading; and a token refreshed on the thread saved and audited under the job's id.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from accounts.audit import SystemActor, audit_context, verify_chain
from accounts.models import AuditEvent
from moderation.actions.channels import do_record_refreshed_credentials
from moderation.connectors.base import Page
from moderation.connectors.errors import ConnectorError
from moderation.credentials import decrypt_credentials
from moderation.models import Channel
from moderation.read_ahead import AHEAD, PagesAhead
from tests.factories import ChannelFactory


class PagedConnector:
    """Pages "p1", "p2", … ; page n's cursor is "c<n>"; the last page has no next cursor.

    It only fetches pages, all PagesAhead asks of a connector, so it lacks the rest of the
    Connector protocol (platform, capabilities, perform): hence the ignores where it is passed."""

    def __init__(self, pages: int, on_fetch: Callable[[int], None] | None = None) -> None:
        self.pages = pages
        self.on_fetch = on_fetch
        self.asked: list[str | None] = []
        self.threads: list[str] = []

    def fetch_comments(self, cursor: str | None) -> Page:
        self.asked.append(cursor)
        self.threads.append(threading.current_thread().name)
        number = 1 if cursor is None else int(cursor[1:]) + 1
        if self.on_fetch is not None:
            self.on_fetch(number)
        following = None if number >= self.pages else f"c{number}"
        return Page(comments=(), next_cursor=following, problems=(f"p{number}",))


def _read(connector: PagedConnector, *, limit: int = 1000) -> list[str]:
    with PagesAhead(connector, None, limit=limit) as pages:  # type: ignore[arg-type]
        return [page.problems[0] for page in pages]


def test_every_page_arrives_once_in_order_and_none_after_the_last() -> None:
    connector = PagedConnector(pages=57)
    assert _read(connector) == [f"p{n}" for n in range(1, 58)]
    assert connector.asked == [None, *(f"c{n}" for n in range(1, 57))]


def test_the_first_page_is_fetched_by_the_job_and_the_rest_by_the_thread() -> None:
    connector = PagedConnector(pages=4)
    _read(connector)
    assert connector.threads[0] == threading.current_thread().name
    assert set(connector.threads[1:]) == {"poll-read-ahead"}


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_no_page_is_fetched_past_the_limit(limit: int) -> None:
    connector = PagedConnector(pages=100)
    assert _read(connector, limit=limit) == [f"p{n}" for n in range(1, limit + 1)]
    assert len(connector.asked) == limit


def test_an_error_reaches_the_job_at_its_page_after_the_pages_before_it() -> None:
    def fail_on_third(number: int) -> None:
        if number == 3:
            raise ConnectorError("Facebook: the page could not be read")

    connector = PagedConnector(pages=10, on_fetch=fail_on_third)
    seen: list[str] = []
    reading = PagesAhead(connector, None, limit=1000)  # type: ignore[arg-type]
    with pytest.raises(ConnectorError, match="could not be read"), reading as pages:
        for page in pages:
            seen.append(page.problems[0])
    assert seen == ["p1", "p2"]
    assert len(connector.asked) == 3  # nothing fetched after the failure


def test_the_thread_stops_when_the_job_stops_reading() -> None:
    connector = PagedConnector(pages=10_000)
    reading = PagesAhead(connector, None, limit=10_000)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError), reading as pages:
        for page in pages:
            if page.problems[0] == "p2":
                raise RuntimeError("storing failed")
    assert not any(t.name == "poll-read-ahead" for t in threading.enumerate())
    # The thread holds at most AHEAD pages, plus the one it was handing over.
    assert len(connector.asked) <= 2 + AHEAD + 1


@pytest.mark.django_db(transaction=True)
def test_a_token_refreshed_on_the_thread_is_saved_and_audited_under_the_jobs_id() -> None:
    channel = ChannelFactory()

    def refresh_on_third(number: int) -> None:
        if number == 3:  # as connector_for's callback does when the platform says 401
            do_record_refreshed_credentials(
                channel.pk, {"access_token": "fresh-token"}, actor=SystemActor.connector("x")
            )

    connector = PagedConnector(pages=5, on_fetch=refresh_on_third)
    with audit_context(job_id="job-42"):
        assert _read(connector) == ["p1", "p2", "p3", "p4", "p5"]
    assert connector.threads[2] == "poll-read-ahead"
    channel = Channel.objects.get(pk=channel.pk)
    assert decrypt_credentials(channel.credentials) == {"access_token": "fresh-token"}
    event = AuditEvent.objects.get(event_type="moderation.channel.token_refreshed")
    assert event.job_id == "job-42"
    assert verify_chain().ok
