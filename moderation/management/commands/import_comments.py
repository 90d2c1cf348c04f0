"""`manage.py import_comments CHANNEL_ID FILE`: load a CSV or JSON export of comments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.audit import SystemActor
from moderation.imports import import_comments
from moderation.models import Channel


class Command(BaseCommand):
    help = "Import comments from a CSV or JSON file into a channel; reports rejected rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel_id", type=int)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        channel = Channel.objects.filter(pk=options["channel_id"]).first()
        if channel is None:
            raise CommandError(f"No channel with id {options['channel_id']}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        report = import_comments(
            channel,
            path.read_bytes(),
            path.name,
            actor=SystemActor.system(f"import of {path.name}"),
        )
        self.stdout.write(
            f"Stored {report.stored} comments ({report.already_stored} were already stored); "
            f"{len(report.rejected)} rows rejected."
        )
        for row, reason in report.rejected[:200]:
            self.stdout.write(f"  row {row}: {reason}")
