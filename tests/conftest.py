"""The fixed cast and shared fixtures.

olivia and oscar are communications officers, maya a manager, adam an admin (healthchecks'
alice/bob/charlie in spirit). Tests marked ``postgres`` need PostgreSQL; under CI=true they fail
rather than skip when it is missing.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator

import pytest
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.models.signals import post_migrate
from django.test import override_settings

from tests.factories import make_user

_execute_sql_flush = DatabaseOperations.execute_sql_flush


def _flush_with_triggers_off(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    """Transactional tests end with Django's flush (TRUNCATE), which the audit tables' triggers
    refuse, with no exception. The test database's role is a superuser, so for that one
    transaction it runs as during replication, when ordinary triggers do not fire; the
    application's role can do no such thing (tests/security/test_the_application_database_role_
    cannot_rewrite_the_audit_log.py)."""
    _execute_sql_flush(self, ["SET LOCAL session_replication_role = replica", *sql_list])


DatabaseOperations.execute_sql_flush = _flush_with_triggers_off  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns of a missing static files directory when a server was built with settings
    # the tests did not mean (production's collectstatic output, which tests never make).
    config.addinivalue_line("filterwarnings", "error:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def _static_files_from_source() -> Iterator[None]:
    """Tests render static files from source, never from collectstatic's output. This is set for
    the whole session, not per test: the browser tests' live server builds its middleware
    (WhiteNoise reading STATIC_ROOT) once, before any test's own settings apply."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


def _reseed_reference_data(sender: object, **kwargs: object) -> None:
    """Put back what data migrations create, after a transactional test's flush empties it.

    Django's flush re-sends post_migrate (content types, permissions); roles, routes, reply
    templates and the default rule sets come from data migrations, so they are re-made here.
    This replaces serialized_rollback, whose reload clashes with the re-created content types.
    """
    if getattr(sender, "name", "") != "moderation":
        return
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )
    for module, function in (
        ("moderation.migrations.0002_default_routes_and_templates", "create_defaults"),
        ("rules.migrations.0002_default_ruleset", "create_default_rulesets"),
        (
            "moderation.migrations.0009_removal_notice_gives_the_reason_and_the_offer_to_repost",
            "reword",
        ),
        ("moderation.migrations.0015_someone_at_risk_reply_template", "add_template"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


post_migrate.connect(_reseed_reference_data, dispatch_uid="tests-reseed-reference-data")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres" in item.keywords or "browser" in item.keywords:
            # Concurrency, trigger and browser tests commit for real: run them on one worker.
            item.add_marker(pytest.mark.xdist_group("serial"))


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None:
        return
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must run this test on PostgreSQL, but the database is not PostgreSQL.")
        pytest.skip("needs PostgreSQL (runs in CI)")


@pytest.fixture(autouse=True)
def _test_settings(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production serves hashed files from a collectstatic manifest; tests render from source.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if settings.REDIS_URL:
        # Each xdist worker gets its own Redis database for the cache, so one worker's
        # cache.clear() between tests cannot empty another's mid-test.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        number = 1 + int(worker.removeprefix("gw") or 0)
        base = settings.REDIS_URL.rsplit("/", 1)[0]
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": f"{base}/{number}"}
        }


@pytest.fixture(autouse=True)
def _clean_cache(_test_settings: None) -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def olivia(db: None):
    return make_user("olivia", "officer", "Olivia Okafor")


@pytest.fixture
def oscar(db: None):
    return make_user("oscar", "officer", "Oscar Pryce")


@pytest.fixture
def maya(db: None):
    return make_user("maya", "manager", "Maya Hughes")


@pytest.fixture
def adam(db: None):
    return make_user("adam", "admin", "Adam Clarke")
