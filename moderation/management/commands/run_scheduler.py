"""`manage.py run_scheduler`: the long-running scheduler process.

Every tick it enqueues a poll for each channel whose interval has passed and re-enqueues outbox
actions and notifications whose retry time has come (or whose worker died mid-send). Every
``AUDIT_CHECKPOINT_MINUTES``, and at any tick once ``AUDIT_CHECKPOINT_EVERY`` events have come
since the last, it signs a checkpoint of the audit chain's head, so that deleting the newest audit
events is caught.
It survives Redis and database outages, pausing longer after each failed tick
(``moderation.scheduler``). Run exactly one per deployment; the work itself is done by `rqworker`
processes, of which there can be many.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from accounts.audit_checkpoints import write_checkpoint, write_checkpoint_if_due
from moderation import scheduler
from moderation.jobs import dispatch_due_work


class Command(BaseCommand):
    help = "Poll channels on their schedules and resend due platform actions, until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between ticks")
        parser.add_argument("--once", action="store_true", help="Run one tick and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False
        next_checkpoint = 0.0

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        def tick() -> Mapping[str, int]:
            nonlocal next_checkpoint
            # A failure here is an outage like any other: retried.
            if time.monotonic() >= next_checkpoint:
                write_checkpoint()
                next_checkpoint = time.monotonic() + settings.AUDIT_CHECKPOINT_MINUTES * 60
            else:
                write_checkpoint_if_due()
            return dispatch_due_work()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        scheduler.run(
            options["tick"],
            once=options["once"],
            stopping=lambda: stopping,
            dispatch=tick,
            report=self._report,
        )

    def _report(self, counts: Mapping[str, int]) -> None:
        if counts["channels"] or counts["actions"]:
            self.stdout.write(
                f"enqueued {counts['channels']} polls and {counts['actions']} actions"
            )
