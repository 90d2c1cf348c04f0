"""`manage.py run_demo`: the emulator, the scheduler and the web server in one process.

For the embedded default (SQLite, in-process jobs): production runs gunicorn, rqworker and
run_scheduler separately (docker-compose.yml). With ``REDIS_URL`` set, jobs go to that Redis, so
the demo also runs a worker for it (``moderation.demo_worker``), or refuses to start when that
Redis does not answer.

runserver serves each request in a thread of its own, and Django keeps a thread's connection
open for CONN_MAX_AGE after its request in case the thread serves another. These threads end
instead, and their connections stayed open on PostgreSQL (62 after a storm of 600 requests), so
the demo closes each thread's connection when its unit of work ends: a request (CONN_MAX_AGE 0,
which ``close_old_connections`` at the end of every request obeys), a scheduler tick
(``DemoWorld``), a page read ahead (``read_ahead``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from moderation.demo_worker import (
    RedisDoesNotAnswer,
    redis_address,
    start_job_worker,
    stop_job_worker,
)
from moderation.demo_world import DemoWorld, seed_emulator
from moderation.emulator import Emulator


class Command(BaseCommand):
    help = "Serve the demo: the platform emulator, the scheduler and the web server (--addr)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--arrival-every", type=float, default=45.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.PLATFORM_BASE_URL:
            raise CommandError("Set PLATFORM_BASE_URL=http://127.0.0.1:8765 (make demo does).")
        try:
            worker = start_job_worker(settings.REDIS_URL if settings.RQ_ASYNC else "")
        except RedisDoesNotAnswer as error:
            raise CommandError(
                f"REDIS_URL is set, so jobs would go to Redis at "
                f"{redis_address(settings.REDIS_URL)}, but it "
                f"does not answer ({error}). Start that Redis, or unset REDIS_URL to run jobs "
                "in-process."
            ) from error
        if worker is None:
            self.stdout.write("Jobs run in-process (no REDIS_URL).")
        else:
            self.stdout.write(
                f"Jobs go to Redis at {redis_address(settings.REDIS_URL)}: started a worker for it "
                f"(process {worker.pid})."
            )
        try:
            self._serve(options)
        finally:
            stop_job_worker(worker)

    def _serve(self, options: dict[str, Any]) -> None:
        for alias in connections.settings:
            connections.settings[alias]["CONN_MAX_AGE"] = 0
        connections.close_all()
        target = urlparse(settings.PLATFORM_BASE_URL)
        emulator = Emulator.start(port=target.port or 8765, host=target.hostname or "127.0.0.1")
        seeded = seed_emulator(emulator)
        self.stdout.write(f"Platform emulator on {emulator.url} with {seeded} comments.")
        world = DemoWorld(emulator, arrival_every=options["arrival_every"])
        world.start()
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            world.stop()
            emulator.stop()
