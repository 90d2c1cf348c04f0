"""`manage.py run_demo` names the Redis its jobs go to (when it starts a worker for it, and when
it refuses one that does not answer) without the password in ``REDIS_URL``: what a command
prints ends up in terminals, CI logs and container logs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from moderation.management.commands import run_demo

PASSWORD = "s3cret-Redis-pass"


@pytest.fixture
def demo_settings(settings) -> Any:
    settings.RQ_ASYNC = True
    settings.PLATFORM_BASE_URL = "http://127.0.0.1:8765"
    return settings


def test_the_refusal_names_the_redis_without_its_password(demo_settings) -> None:
    demo_settings.REDIS_URL = f"redis://jobs:{PASSWORD}@127.0.0.1:9/0"

    with pytest.raises(CommandError) as refused:
        call_command("run_demo")

    message = str(refused.value)
    assert "does not answer" in message
    assert PASSWORD not in message
    assert "redis://jobs:***@127.0.0.1:9/0" in message


class _Worker:
    pid = 4242

    def poll(self) -> int:
        return 0


def test_the_started_worker_is_announced_without_the_password(demo_settings, monkeypatch) -> None:
    demo_settings.REDIS_URL = f"rediss://:{PASSWORD}@redis.internal:6380/2"
    monkeypatch.setattr(run_demo, "start_job_worker", lambda url: _Worker())
    monkeypatch.setattr(run_demo.Command, "_serve", lambda self, options: None)
    out = io.StringIO()

    call_command("run_demo", stdout=out)

    printed = out.getvalue()
    assert "started a worker" in printed and "(process 4242)" in printed
    assert PASSWORD not in printed
    assert "rediss://:***@redis.internal:6380/2" in printed
