"""`manage.py apply_retention`: erase comment text and personal data past the retention period.

Runs in batches (one audit event per batch, with counts) until nothing is due. The scheduler
runs it daily (``moderation.housekeeping.dispatch_housekeeping``); run it by hand after
shortening the retention period, or with ``--dry-run`` to see how many comments are due.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.audit import SystemActor
from moderation.actions.retention import comments_due_for_retention, do_apply_retention_until_done
from moderation.models import Organisation


class Command(BaseCommand):
    help = "Erase comment text and personal data older than the organisation's retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the comments that are due"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = Organisation.current().retention_days
        if options["dry_run"]:
            due = comments_due_for_retention().count()
            self.stdout.write(f"{due} comments are older than {days} days and due for erasure.")
            return
        erased = do_apply_retention_until_done(actor=SystemActor.system("apply_retention command"))
        self.stdout.write(f"Erased {erased} comments older than {days} days.")
