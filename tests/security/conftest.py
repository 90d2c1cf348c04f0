"""Fixtures for the security tests: the platform emulator and connector kits of the connector
tests, shared rather than copied."""

from __future__ import annotations

from tests.moderation.connectors.conftest import (  # noqa: F401 - fixtures, found by name
    emulator,
    make_kit,
    running_emulator,
    slept,
)
