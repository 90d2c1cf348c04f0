"""The production shape migrates as the owner role and runs web, workers and the scheduler as a
separate application role, granted by ``manage.py grant_app_role`` (which the Postgres tests
prove cannot rewrite the audit log). No Docker engine runs here, so the files are checked."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "scheduler")


def services() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return dict(data["services"])


def env_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    return env if isinstance(env, dict) else dict(e.split("=", 1) for e in env)


def database_user(service: dict[str, Any]) -> str:
    # ${PASSWORD:?message} interpolations are compose's, not part of a URL.
    url = re.sub(r"\$\{[^}]*\}", "password", env_of(service)["DATABASE_URL"])
    return str(urlparse(url).username)


def test_the_app_connects_as_a_different_role_from_the_one_that_migrates() -> None:
    all_services = services()
    owner = database_user(all_services["migrate"])
    for name in APP_SERVICES:
        assert database_user(all_services[name]) not in {owner, "postgres"}, name


def test_migrating_grants_the_app_role_after_every_migrate() -> None:
    migrate = services()["migrate"]
    command = migrate["command"]
    text = command if isinstance(command, str) else " ".join(command)
    assert "grant_app_role" in get_commands()
    words = shlex.split(text.replace("&&", " && "))
    app_role = database_user(services()["web"])
    assert words.index("grant_app_role") > words.index("migrate")
    assert app_role in words


def test_the_roles_are_created_without_superuser_powers() -> None:
    postgres = services()["postgres"]
    mounts = [str(v) for v in postgres.get("volumes", [])]
    init = next(m.split(":")[0] for m in mounts if "docker-entrypoint-initdb.d" in m)
    script = "\n".join(p.read_text() for p in sorted((ROOT / init).glob("*")))
    app_role = database_user(services()["web"])
    owner = database_user(services()["migrate"])
    assert f"CREATE ROLE {app_role} LOGIN NOSUPERUSER" in script
    assert f"CREATE ROLE {owner} LOGIN NOSUPERUSER" in script


def test_every_app_service_has_the_audit_key() -> None:
    for name in APP_SERVICES:
        assert "AUDIT_HMAC_KEY" in env_of(services()[name]), name
