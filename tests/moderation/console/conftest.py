"""Fixtures for the console's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings: Any) -> None:
    """Pages link their CSS with {% static %}; the manifest storage needs collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def audit_log_truncatable(transactional_db: None) -> Iterator[None]:
    """Let a transactional test's closing flush empty the audit table.

    The flush TRUNCATEs every table, and on PostgreSQL the audit table's trigger refuses
    TRUNCATE. For that one flush, on the test database only, triggers are off for the session
    (as during replication); Django closes the connection straight after the flush.
    """
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
