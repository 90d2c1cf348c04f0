"""`manage.py run_demo`: the emulator, the scheduler and the web server in one process.

For the embedded default only (SQLite, in-process jobs): production runs gunicorn, rqworker and
run_scheduler separately (docker-compose.yml).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

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
