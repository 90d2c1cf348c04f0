"""`manage.py run_scheduler`: the long-running scheduler process.

Every tick it enqueues a poll for each channel whose interval has passed and re-enqueues outbox
actions whose retry time has come (or whose worker died mid-send). Every
``AUDIT_CHECKPOINT_MINUTES`` it signs a checkpoint of the audit chain's head, so that deleting the
newest audit events is caught even when fewer than ``AUDIT_CHECKPOINT_EVERY`` came after the last.
Run exactly one per deployment; the work itself is done by `rqworker` processes, of which there
can be many.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from accounts.audit_checkpoints import write_checkpoint
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
        next_checkpoint = 0.0
        while not stopping:
            if time.monotonic() >= next_checkpoint:
                write_checkpoint()
                next_checkpoint = time.monotonic() + settings.AUDIT_CHECKPOINT_MINUTES * 60
            counts = dispatch_due_work()
            if counts["channels"] or counts["actions"]:
                self.stdout.write(
                    f"enqueued {counts['channels']} polls and {counts['actions']} actions"
                )
            if options["once"]:
                return
            time.sleep(options["tick"])
