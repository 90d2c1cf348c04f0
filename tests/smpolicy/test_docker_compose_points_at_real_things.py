"""No Docker engine runs here, so the compose file is checked against the project instead."""

from __future__ import annotations

import importlib
import shlex
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def command_of(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_it_runs_the_production_shape() -> None:
    assert {"postgres", "redis", "web", "worker", "scheduler"} <= set(compose()["services"])


def test_the_web_service_serves_the_wsgi_module_with_gunicorn() -> None:
    command = command_of(compose()["services"]["web"])
    assert command[0] == "gunicorn"
    module, _, attribute = next(a for a in command if a.endswith(":application")).partition(":")
    assert hasattr(importlib.import_module(module), attribute)


def test_the_worker_listens_on_every_queue_the_project_uses() -> None:
    command = command_of(compose()["services"]["worker"])
    assert command[:3] == ["python", "manage.py", "rqworker"]
    assert "rqworker" in get_commands()
    assert set(command[3:]) >= set(settings.QUEUE_NAMES)
    if "--worker-class" in command:
        module, _, name = command[command.index("--worker-class") + 1].rpartition(".")
        assert hasattr(importlib.import_module(module), name)


def test_the_scheduler_runs_a_command_that_exists() -> None:
    command = command_of(compose()["services"]["scheduler"])
    assert command[:2] == ["python", "manage.py"]
    assert command[2] in get_commands()


def test_every_django_service_uses_the_project_settings_module() -> None:
    services = compose()["services"]
    for name in ("web", "worker", "scheduler"):
        env = services[name].get("environment") or {}
        env = env if isinstance(env, dict) else dict(e.split("=", 1) for e in env)
        module = env.get("DJANGO_SETTINGS_MODULE", "smpolicy.settings")
        assert (ROOT / (module.replace(".", "/") + ".py")).exists()
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
