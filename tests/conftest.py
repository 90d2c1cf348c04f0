"""The fixed cast and shared fixtures.

olivia and oscar are communications officers, maya a manager, adam an admin (healthchecks'
alice/bob/charlie in spirit). Tests marked ``postgres`` need PostgreSQL; under CI=true they fail
rather than skip when it is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection

from tests.factories import make_user


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres" in item.keywords:
            # Serialise the Postgres tests that share one database across xdist workers.
            item.add_marker(pytest.mark.xdist_group("postgres"))


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None:
        return
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must run this test on PostgreSQL, but the database is not PostgreSQL.")
        pytest.skip("needs PostgreSQL (runs in CI)")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def olivia(db: None):  # type: ignore[no-untyped-def]
    return make_user("olivia", "officer", "Olivia Okafor")


@pytest.fixture
def oscar(db: None):  # type: ignore[no-untyped-def]
    return make_user("oscar", "officer", "Oscar Pryce")


@pytest.fixture
def maya(db: None):  # type: ignore[no-untyped-def]
    return make_user("maya", "manager", "Maya Hughes")


@pytest.fixture
def adam(db: None):  # type: ignore[no-untyped-def]
    return make_user("adam", "admin", "Adam Clarke")
