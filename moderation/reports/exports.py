"""Streaming CSV exports: the report's tables and the audit log.

Rows are written as they are read (``StreamingHttpResponse`` over a generator, the audit log read
with ``.iterator()``), so a million-row export never sits in memory. Every text cell is made safe
for spreadsheets by ``moderation.spreadsheet.safe_cell``, as every other export is, with direction
controls shown as visible tokens as on the pages.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from accounts.models import AuditEvent
from moderation.models import Channel
from moderation.reports.tables import Section
from moderation.spreadsheet import safe_cell

# Excel opens a UTF-8 file correctly only when it starts with a byte-order mark.
BYTE_ORDER_MARK = "\ufeff"
FLUSH_CHARACTERS = 64 * 1024
AUDIT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_kind",
    "actor_id",
    "actor",
    "event_type",
    "target_type",
    "target_id",
    "target",
    "channel_id",
    "channel",
    "before",
    "after",
    "data",
    "request_id",
    "job_id",
    "prev_hash",
    "hash",
)
AUDIT_FIELDS = tuple(
    {"actor": "actor_label", "target": "target_repr"}.get(column, column)
    for column in AUDIT_COLUMNS
    if column != "channel"
)


class _Line:
    """A file-like object whose ``write`` hands back what it was given (for ``csv.writer``)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """CSV text in chunks of about 64 KB: fewer, larger writes than one per row."""
    writer = csv.writer(_Line())
    buffer = [BYTE_ORDER_MARK]
    size = 0
    for row in rows:
        line: str = writer.writerow([safe_cell(value, visible_controls=True) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= FLUSH_CHARACTERS:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def streaming_csv(rows: Iterable[Sequence[object]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- The report ------------------------------------------------------------------------------


def report_rows(
    sections: Sequence[Section], preamble: Sequence[tuple[str, str]], only: str = ""
) -> Iterator[Sequence[object]]:
    """All the report's tables in one CSV: a title row before each, a blank row after.

    ``only`` names a single table (its key) to export on its own, header row first.
    """
    tables = [table for section in sections for table in section.tables]
    if only:
        for table in tables:
            if table.key == only:
                yield table.exported_columns
                for row in table.rows:
                    yield [cell.value for cell in row]
                if table.footer:
                    yield [cell.value for cell in table.footer]
        return
    for label, value in preamble:
        yield [label, value]
    for table in tables:
        yield []
        yield [table.title]
        yield table.exported_columns
        for row in table.rows:
            yield [cell.value for cell in row]
        if table.footer:
            yield [cell.value for cell in table.footer]


# --- The audit log ---------------------------------------------------------------------------


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[Sequence[object]]:
    """Header, then one row per event in id order, read in chunks with a server-side cursor."""
    channel_names = Channel.labels()
    yield AUDIT_COLUMNS
    channel_at = AUDIT_FIELDS.index("channel_id")
    for values in events.order_by("id").values_list(*AUDIT_FIELDS).iterator(chunk_size=2000):
        row: list[Any] = list(values)
        row.insert(channel_at + 1, channel_names.get(row[channel_at], ""))
        yield row
