"""Fixtures for tests of the console against the platforms: one emulator, reset per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from moderation.emulator import Emulator


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
    running_emulator.reset()
