"""Importing comments from a CSV or JSON file, for channels with no API access.

Rows are validated one by one: good rows are stored (idempotently, like any delivery), bad rows
are reported with their row number and reason, and nothing else is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.audit import Actor
from moderation.actions.ingest import do_store_comments
from moderation.connectors.file_import import parse_import
from moderation.models import Channel

BATCH = 1000


@dataclass(frozen=True)
class ImportReport:
    stored: int
    already_stored: int
    rejected: list[tuple[int, str]]


def import_comments(channel: Channel, data: bytes, filename: str, *, actor: Actor) -> ImportReport:
    parsed = parse_import(data, filename)
    stored = already = 0
    for start in range(0, len(parsed.comments), BATCH):
        result = do_store_comments(channel, parsed.comments[start : start + BATCH], actor=actor)
        stored += len(result.new_comment_ids)
        already += result.already_stored
    return ImportReport(stored=stored, already_stored=already, rejected=list(parsed.rejected))
