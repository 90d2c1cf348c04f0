"""`manage.py run_scheduler`: the long-running scheduler process.

Every tick it enqueues a poll for each channel whose interval has passed and re-enqueues outbox
actions whose retry time has come (or whose worker died mid-send). Run exactly one per
deployment; the work itself is done by `rqworker` processes, of which there can be many.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from moderation.jobs import dispatch_due_work


class Command(BaseCommand):
    help = "Poll channels on their schedules and resend due platform actions, until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between ticks")
        parser.add_argument("--once", action="store_true", help="Run one tick and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            counts = dispatch_due_work()
            if counts["channels"] or counts["actions"]:
                self.stdout.write(
                    f"enqueued {counts['channels']} polls and {counts['actions']} actions"
                )
            if options["once"]:
                return
            time.sleep(options["tick"])
