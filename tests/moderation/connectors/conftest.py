"""Fixtures for connector tests: one emulator per session, reset around every test.

`make_kit("facebook")` gives what a test needs to talk to one emulated platform: its account,
a connector wired to the emulator with a sleep that records instead of waiting, and helpers to
seed posts and comments.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from moderation.connectors.base import BaseConnector, ChannelConfig, FetchedComment
from moderation.connectors.http import HttpClient
from moderation.connectors.registry import CONNECTORS
from moderation.emulator import Emulator

ACCOUNTS = {
    "facebook": "999",
    "instagram": "17841400000000999",
    "youtube": "UCcouncil0000000000000001",
    "x": "1001",
    "linkedin": "urn:li:organization:2414183",
    "threads": "25000000000000999",
    "tiktok": "bus-7300000000000000999",
    "mastodon": "109000000000000999",
    "bluesky": "did:plc:council0000000000000001",
}

# One field per platform that, broken, makes an item unreadable.
MALFORMED = {
    "facebook": {"created_time": "last Tuesday"},
    "instagram": {"timestamp": "last Tuesday"},
    "youtube": {"snippet.publishedAt": "last Tuesday"},
    "x": {"created_at": "last Tuesday"},
    "linkedin": {"created.time": "last Tuesday"},
    "threads": {"timestamp": "last Tuesday"},
    "tiktok": {"create_time": "last Tuesday"},
    "mastodon": {"status.created_at": "last Tuesday"},
    "bluesky": {"indexedAt": "last Tuesday"},
}


class SleepRecorder(list[float]):
    """Stands in for time.sleep: remembers every wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@dataclass
class Kit:
    platform: str
    emulator: Emulator
    slept: SleepRecorder
    account_id: str = ""
    http: HttpClient = field(init=False)

    def __post_init__(self) -> None:
        self.account_id = ACCOUNTS[self.platform]
        self.http = self.client()

    def client(self, **options: Any) -> HttpClient:
        settings: dict[str, Any] = {"timeout": (2.0, 2.0), "max_retries": 2, "sleep": self.slept}
        settings.update(options)
        return HttpClient(rng=random.Random(7), **settings)

    def config(self, credentials: Mapping[str, str] | None = None) -> ChannelConfig:
        return ChannelConfig(
            platform=self.platform,
            account_id=self.account_id,
            credentials=credentials if credentials is not None else {"access_token": "token"},
            base_url=self.emulator.base_url(self.platform),
        )

    def connector(
        self,
        *,
        page_size: int | None = None,
        credentials: Mapping[str, str] | None = None,
        http: HttpClient | None = None,
    ) -> BaseConnector:
        connector_class = CONNECTORS[self.platform]
        return connector_class(self.config(credentials), http or self.http, page_size=page_size)

    def post(self, text: str = "Bin collections change next week", **options: Any) -> str:
        return self.emulator.add_post(self.platform, self.account_id, text=text, **options)

    def comment(self, post_id: str, text: str = "When?", **options: Any) -> str:
        return self.emulator.add_comment(self.platform, self.account_id, post_id, text, **options)

    def malformed_comment(self, post_id: str) -> str:
        return self.comment(post_id, "unreadable", overrides=MALFORMED[self.platform])


def drain(
    connector: BaseConnector, cursor: str | None = None, max_calls: int = 60
) -> tuple[list[FetchedComment], list[str], str | None, int]:
    """Fetch until caught up: (comments, problems, cursor to keep, calls that returned some)."""
    comments: list[FetchedComment] = []
    problems: list[str] = []
    pages_with_comments = 0
    for _ in range(max_calls):
        page = connector.fetch_comments(cursor)
        comments.extend(page.comments)
        problems.extend(page.problems)
        pages_with_comments += bool(page.comments)
        if page.next_cursor is None:
            return comments, problems, cursor, pages_with_comments
        cursor = page.next_cursor
    raise AssertionError(f"not caught up after {max_calls} calls")


@pytest.fixture(scope="session")
def running_emulator() -> Iterator[Emulator]:
    emulator = Emulator.start(port=0)
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(running_emulator: Emulator) -> Iterator[Emulator]:
    running_emulator.reset()
    yield running_emulator
    running_emulator.reset()


@pytest.fixture
def slept() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_kit(emulator: Emulator, slept: SleepRecorder) -> Callable[[str], Kit]:
    return lambda platform: Kit(platform, emulator, slept)


@pytest.fixture
def drain_all() -> Callable[..., tuple[list[FetchedComment], list[str], str | None, int]]:
    return drain


@dataclass
class Wire:
    """Every request a connector sent and the answer it got, for the contract tests."""

    exchanges: list[tuple[Any, Any]] = field(default_factory=list)

    def __call__(self, sent: Any, response: Any) -> None:
        self.exchanges.append((sent, response))

    @property
    def requests(self) -> list[Any]:
        return [sent for sent, _ in self.exchanges]


@pytest.fixture
def wire() -> Wire:
    return Wire()
