"""`manage.py run_scheduler`: the long-running scheduler process.

Every tick it enqueues a poll for each channel whose interval has passed and re-enqueues outbox
actions and notifications whose retry time has come (or whose worker died mid-send). It survives
Redis and database outages, pausing longer after each failed tick (``moderation.scheduler``).
Run exactly one per deployment; the work itself is done by `rqworker` processes, of which there
can be many.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from moderation import scheduler


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
        scheduler.run(
            options["tick"], once=options["once"], stopping=lambda: stopping, report=self._report
        )

    def _report(self, counts: Mapping[str, int]) -> None:
        if counts["channels"] or counts["actions"]:
            self.stdout.write(
                f"enqueued {counts['channels']} polls and {counts['actions']} actions"
            )
