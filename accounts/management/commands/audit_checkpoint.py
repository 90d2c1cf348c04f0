"""`manage.py audit_checkpoint`: sign a checkpoint of the audit chain's head now.

The scheduler does this every ``AUDIT_CHECKPOINT_MINUTES``; this is for cron or by hand (before a
database restore, say).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.audit_checkpoints import write_checkpoint


class Command(BaseCommand):
    help = "Sign a checkpoint of the audit chain's head (also logged by the accounts.audit logger)."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = write_checkpoint()
        if checkpoint is None:
            self.stdout.write("Nothing new to sign: the newest checkpoint has the chain's head.")
        else:
            self.stdout.write(f"Signed a {checkpoint}.")
