"""`manage.py run_demo`: the emulator, the scheduler and the web server in one process.

For the embedded default only (SQLite, in-process jobs): production runs gunicorn, rqworker and
run_scheduler separately (docker-compose.yml).

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

from moderation.demo_world import DemoWorld, seed_emulator
from moderation.emulator import Emulator


class Command(BaseCommand):
    help = "Serve the demo: platform emulator, scheduler and web server on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--arrival-every", type=float, default=45.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.PLATFORM_BASE_URL:
            raise CommandError("Set PLATFORM_BASE_URL=http://127.0.0.1:8765 (make demo does).")
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
