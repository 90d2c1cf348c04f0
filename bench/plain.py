"""The plain alternatives ``bench/speedups.py`` puts in place of a speed-up, to time it against.

Each gives the same answers as the code it replaces (the tests of the replaced code pass with
it); only the way of getting there is the straightforward one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from moderation import bulk

# --- Inserts without COPY -------------------------------------------------------------------


def insert_returning(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], unique: Sequence[str]
) -> dict[tuple[Any, ...], int]:
    """``INSERT … VALUES … ON CONFLICT DO NOTHING RETURNING``, a few hundred rows a statement."""
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {f.attname: bulk._default(f, now) for f in fields if f.attname not in rows[0]}
    columns = ", ".join(quote(str(f.column)) for f in fields)
    unique_columns = [quote(str(by_attname[name].column)) for name in unique]
    returning = ", ".join([*unique_columns, quote(str(model._meta.pk.column))])
    found: dict[tuple[Any, ...], int] = {}
    batch = max(1, 30_000 // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = []
            for row in chunk:
                for f in fields:
                    if f.attname not in row:
                        values.append(defaults[f.attname])
                    elif isinstance(f, models.JSONField):
                        values.append(bulk._json(row[f.attname]))
                    else:
                        values.append(f.get_db_prep_save(row[f.attname], connection))
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {placeholders} "
                f"ON CONFLICT ({', '.join(unique_columns)}) DO NOTHING RETURNING {returning}",
                values,
            )
            found.update({tuple(r[:-1]): r[-1] for r in cursor.fetchall()})
    return found


def bulk_create_rows(
    cursor: Any, model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, into: str
) -> None:
    model._default_manager.bulk_create([bulk._model(model, row) for row in rows])
