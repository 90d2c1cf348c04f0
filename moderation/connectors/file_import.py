"""Comments from a file: CSV or JSON exports, for channels with no API (or a backfill by hand).

Columns (CSV header row, or JSON keys): `id, post_id, parent_id, author_id, author_handle,
author_name, text, created_at, permalink`. Required: `id`, `post_id`, `text`, `created_at`, and
`author_id` (the handle stands in when only it is given). `created_at` is ISO 8601 with a time
zone (`2025-03-01T10:00:00Z`); a time without one is refused rather than guessed, since a UK time
is an hour off UTC half the year. Text is at most 100,000 characters. A permalink, when given,
must be an http(s) link.

JSON is a list of objects, or JSON Lines (one object per line). Encodings: UTF-8 with or without
a BOM, UTF-16 with a BOM (Excel's "Unicode text"), else Windows-1252 (older Excel CSV).

Every bad row is reported with its number and the reason, and every good row is kept. Row
numbers are what a spreadsheet shows (the CSV header is row 1), the item's position in a JSON
list (from 1), or the line of a JSON Lines file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from moderation.connectors.base import FetchedAuthor, FetchedComment
from moderation.connectors.parsing import (
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    clean_raw,
    clean_text,
    parse_datetime,
    safe_permalink,
    shorten,
)

COLUMNS = (
    "id",
    "post_id",
    "parent_id",
    "author_id",
    "author_handle",
    "author_name",
    "text",
    "created_at",
    "permalink",
)
REQUIRED_COLUMNS = ("id", "post_id", "text", "created_at")
MAX_FILE_BYTES = 50_000_000
MAX_ROWS = 200_000
# Large enough for a 100,000-character text field written with doubled quotes and CRLFs, so the
# length check below (with its clear message) runs instead of the csv module's own error.
CSV_FIELD_LIMIT = 4 * MAX_TEXT_LENGTH


@dataclass
class ImportResult:
    comments: list[FetchedComment] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    encoding: str = ""
    format: str = ""


def parse_import(data: bytes, filename: str) -> ImportResult:
    if len(data) > MAX_FILE_BYTES:
        return ImportResult(
            rejected=[(0, f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")]
        )
    text, encoding = decode(data)
    kind = _format(text, filename)
    result = ImportResult(encoding=encoding, format=kind)
    rows = _csv_rows(text, result) if kind == "csv" else _json_rows(text, kind, result)
    seen: dict[str, int] = {}
    for number, row in rows:
        if len(result.comments) + len(result.rejected) >= MAX_ROWS:
            result.rejected.append((number, f"only the first {MAX_ROWS:,} rows are read"))
            break
        try:
            comment = _comment(row)
        except ValueError as error:
            result.rejected.append((number, str(error)))
            continue
        first = seen.get(comment.platform_id)
        if first is not None:
            result.rejected.append(
                (number, f"id {comment.platform_id!r} is already in row {first}")
            )
            continue
        seen[comment.platform_id] = number
        result.comments.append(comment)
    return result


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _format(text: str, filename: str) -> str:
    name = filename.lower()
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    start = text.lstrip()[:1]
    return "json" if start == "[" else "jsonl" if start == "{" else "csv"


def _csv_rows(text: str, result: ImportResult) -> Iterator[tuple[int, Mapping[str, Any]]]:
    sample = text[:10_000]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # The limit is process-wide; it is only ever raised (never restored) so that concurrent
    # imports cannot lower it under each other.
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    header: list[str] | None = None
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            result.rejected.append((number, f"unreadable CSV row: {error}"))
            continue
        if header is None:
            header = [_column(cell) for cell in cells]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                result.rejected.append(
                    (1, f"the header row lacks the column(s): {', '.join(missing)}")
                )
                return
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            result.rejected.append(
                (number, f"{len(cells)} cells but the header names {len(header)} columns")
            )
            continue
        yield number, dict(zip(header, cells, strict=False))


def _json_rows(
    text: str, kind: str, result: ImportResult
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if kind == "json":
        try:
            items = json.loads(text)
        except (ValueError, RecursionError) as error:
            result.rejected.append((0, f"the file is not valid JSON: {error}"))
            return
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            result.rejected.append((0, "the JSON file must hold a list of comments"))
            return
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield number, item
            else:
                result.rejected.append((number, "not an object"))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            result.rejected.append((number, "not a JSON object"))
            continue
        if isinstance(item, dict):
            yield number, item
        else:
            result.rejected.append((number, "not a JSON object"))


def _column(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


def _value(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{key} must be text")
    return clean_text(str(value)).strip() if key != "text" else clean_text(str(value))


def _identifier(row: Mapping[str, Any], key: str) -> str:
    value = _value(row, key)
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"{key} is longer than {MAX_ID_LENGTH} characters")
    return value


def _comment(row: Mapping[str, Any]) -> FetchedComment:
    values = {key: _identifier(row, key) for key in COLUMNS if key != "text"}
    text = _value(row, "text")
    author_id = values["author_id"] or values["author_handle"]
    missing = [key for key in ("id", "post_id", "created_at") if not values[key]]
    if not text.strip():
        missing.append("text")
    if not author_id:
        missing.append("author_id")
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"text is {len(text):,} characters; the limit is {MAX_TEXT_LENGTH:,}")
    created = values["created_at"]
    if created.isdigit():
        raise ValueError(f"created_at {shorten(created, 40)!r} is not an ISO 8601 time")
    try:
        created_at = parse_datetime(created)
    except ValueError as error:
        raise ValueError(f"created_at: {error}") from error
    permalink = safe_permalink(values["permalink"])
    if values["permalink"] and not permalink:
        raise ValueError("permalink must be an http(s) link")
    parent = values["parent_id"]
    return FetchedComment(
        platform_id=values["id"],
        post_platform_id=values["post_id"],
        parent_platform_id="" if parent in (values["post_id"], values["id"]) else parent,
        author=FetchedAuthor(
            platform_id=author_id,
            handle=values["author_handle"],
            display_name=values["author_name"],
        ),
        text=text,
        created_at=created_at,
        permalink=permalink,
        raw=clean_raw(dict(row)),
    )
