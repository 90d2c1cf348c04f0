"""`manage.py verify_audit`: walk the audit hash chain and name the first broken event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero and names the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain verified: {report.checked} events, all intact.")
            )
            return
        raise CommandError(
            f"Audit chain broken at event {report.first_broken_id}: {report.reason}. "
            f"{report.checked} events before it verified "
            f"(last good: {report.last_verified_id} at {report.last_verified_at})."
        )
