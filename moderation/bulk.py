"""Inserting pages of rows that may already be stored, fast: for authors and comments at ingest.

On PostgreSQL the rows go in by ``COPY`` into a temporary table, then one
``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``: the database skips what is already
stored (a concurrent delivery of the same comment included) and says which rows this call
inserted. A parametrised ``INSERT … VALUES … RETURNING`` does the same work in one statement,
but has each field of each row prepared in Python, which costs more than the database's own
work; psycopg writes COPY rows in C (the gain is measured by bench/speedups.py).

Other databases (the embedded SQLite demo, one writer at a time) get ``bulk_create`` with
``ignore_conflicts`` and a read-back: the rows whose keys were not there before are this call's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg import sql
from psycopg.types.json import Jsonb

from moderation import jsontext

Key = tuple[Any, ...]


def insert_new(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, unique: Sequence[str]
) -> dict[Key, int]:
    """Insert the rows whose ``unique`` fields are not stored yet; return their keys and ids.

    Each row maps field attribute names (``author_id``, not ``author``) to values ready for the
    database, the same names in every row; fields the rows leave out take the model's default.
    Rows whose key is already stored, or repeated within ``rows``, are skipped and left out of
    the answer.
    """
    if not rows:
        return {}
    if connection.vendor == "postgresql":
        return _copy_insert(model, rows, unique)
    return _bulk_create_insert(model, rows, unique)


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert every row, as ``bulk_create`` would, without building models or reading ids back.

    For rows nothing refers to by id within the same work (an evaluated batch's flags). Rows are
    given as for ``insert_new``.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([_model(model, row) for row in rows])
        return
    table = model._meta.db_table
    with connection.cursor() as django_cursor:
        _copy_rows(django_cursor.cursor, model, rows, into=table)


def _copy_rows(
    cursor: Any, model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, into: str
) -> None:
    """COPY ``rows`` into the table ``into``: the model's own, or one made like it."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    json_columns = {f.attname for f in fields if isinstance(f, models.JSONField)}
    defaults = {f.attname: _default(f, now) for f in fields if f.attname not in rows[0]}
    names = [f.attname for f in fields]
    copy = sql.SQL("COPY {into} ({columns}) FROM STDIN").format(
        into=sql.Identifier(into), columns=_identifiers([str(f.column) for f in fields])
    )
    with cursor.copy(copy) as writer:
        for row in rows:
            writer.write_row(
                [
                    (_json(row[name]) if name in json_columns else row[name])
                    if name in row
                    else defaults[name]
                    for name in names
                ]
            )


def update_rows(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], fields: Sequence[str]
) -> None:
    """Set ``fields`` of each row (by its ``id``) to the row's own values.

    On PostgreSQL, one ``UPDATE … FROM unnest(…)`` for all the rows: an evaluated batch's
    flagged comments took a dozen UPDATEs, each built by Django, and one statement does the
    same work. Elsewhere, one UPDATE per distinct set of values (rows stored together share most
    of theirs), never a CASE per row.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        groups: dict[tuple[Any, ...], tuple[Mapping[str, Any], list[Any]]] = {}
        for row in rows:
            key = tuple(_hashable(row[name]) for name in fields)
            groups.setdefault(key, (row, []))[1].append(row["id"])
        for first, ids in groups.values():
            values = {name: first[name] for name in fields}
            model._default_manager.filter(pk__in=ids).update(**values)
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    targets = [by_name[name] for name in fields]
    json_fields = {name for name in fields if isinstance(by_name[name], models.JSONField)}
    names = ["id", *(str(f.column) for f in targets)]
    arrays = [[row["id"] for row in rows]] + [
        [_json(row[name]) if name in json_fields else row[name] for row in rows] for name in fields
    ]
    types = [model._meta.pk.db_type(connection), *(f.db_type(connection) for f in targets)]
    statement = sql.SQL(
        "UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) "
        "WHERE t.{pk} = v.id"
    ).format(
        table=sql.Identifier(model._meta.db_table),
        assignments=sql.SQL(", ").join(
            sql.SQL("{column} = v.{column}").format(column=sql.Identifier(str(f.column)))
            for f in targets
        ),
        arrays=sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(str(db_type))) for db_type in types
        ),
        names=_identifiers(names),
        pk=sql.Identifier(str(model._meta.pk.column)),
    )
    with connection.cursor() as django_cursor:
        django_cursor.cursor.execute(statement, arrays)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _json(value: Any) -> Any:
    """A JSON column's value for COPY: text already written goes as it is."""
    return value if isinstance(value, jsontext.JsonText) else Jsonb(value, jsontext.dumps_bytes)


def _model(model: type[models.Model], row: Mapping[str, Any]) -> models.Model:
    """A model instance from a row (for bulk_create, off PostgreSQL)."""
    return model(
        **{
            name: value.value() if isinstance(value, jsontext.JsonText) else value
            for name, value in row.items()
        }
    )


def _default(field: models.Field[Any, Any], now: Any) -> Any:
    """A field's default as COPY takes it. A JSON default goes as its JSON text, made once
    (as a Jsonb value it was serialised again for every row); None stays SQL NULL."""
    value = now if getattr(field, "auto_now_add", False) else field.get_default()
    if isinstance(field, models.JSONField) and value is not None:
        return jsontext.JsonText.of(value)
    return field.get_db_prep_save(value, connection)


def _copy_insert(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], unique: Sequence[str]
) -> dict[Key, int]:
    table = model._meta.db_table
    staging = f"incoming_{table}"
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    unique_columns = [str(by_attname[name].column) for name in unique]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = _identifiers([str(f.column) for f in fields])
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        # Session-local, so concurrent workers never share it, and made afresh for each call
        # from the table as it is now: a table kept for the session would miss a column that a
        # migration added while the worker ran. One transaction (a test, loading the demo) may
        # call this several times, hence the DROP.
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(staging)))
        cursor.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
                "SELECT {columns} FROM {table} WITH NO DATA"
            ).format(staging=sql.Identifier(staging), columns=columns, table=sql.Identifier(table))
        )
        _copy_rows(cursor, model, rows, into=staging)
        cursor.execute(
            sql.SQL(
                "INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "
                "ON CONFLICT ({unique}) DO NOTHING RETURNING {returning}"
            ).format(
                table=sql.Identifier(table),
                columns=columns,
                staging=sql.Identifier(staging),
                unique=_identifiers(unique_columns),
                returning=_identifiers([*unique_columns, str(model._meta.pk.column)]),
            )
        )
        return {tuple(found[:-1]): found[-1] for found in cursor.fetchall()}


def _identifiers(names: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join([sql.Identifier(name) for name in names])


def _bulk_create_insert(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], unique: Sequence[str]
) -> dict[Key, int]:
    keys = {tuple(row[name] for name in unique) for row in rows}
    # Narrow by each key field, then match whole keys here: an OR per key would nest too deep.
    candidates = model._default_manager.filter(
        **{f"{name}__in": {key[i] for key in keys} for i, name in enumerate(unique)}
    )

    def stored() -> dict[Key, int]:
        found = {tuple(row[:-1]): row[-1] for row in candidates.values_list(*unique, "pk")}
        return {key: pk for key, pk in found.items() if key in keys}

    before = stored()
    model._default_manager.bulk_create([_model(model, row) for row in rows], ignore_conflicts=True)
    return {key: pk for key, pk in stored().items() if key not in before}
