"""The audit log: ``record()`` is the only way an ``AuditEvent`` is written.

Every state-changing action calls ``record()`` inside its own transaction, so the change and its
event commit or roll back together. Events form a keyed hash chain (``accounts.audit_chain``), with
signed checkpoints of its head (``accounts.audit_checkpoints``); ``verify_chain()``
(``accounts.audit_verify``) walks it and names the first event that no longer matches, and the
newest events or whole table that went missing.
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.audit_chain import (
    CHAIN_LOCK_KEY,
    GENESIS_HASH,
    compute_hash,
    content,
    content_of,
    current_key_id,
    lock_chain,
)
from accounts.audit_verify import ChainReport, last_verification, verify_chain
from accounts.models import AuditEvent, User

__all__ = [
    "CHAIN_LOCK_KEY",
    "GENESIS_HASH",
    "Actor",
    "ChainReport",
    "PendingEvent",
    "SystemActor",
    "audit_context",
    "content_of",
    "last_verification",
    "record",
    "record_many",
    "verify_chain",
]

SECRET_KEYS = ("password", "secret", "token", "api_key", "credentials", "access_token")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("audit_request_id", default="")
_job_id: contextvars.ContextVar[str] = contextvars.ContextVar("audit_job_id", default="")


@dataclass(frozen=True)
class SystemActor:
    """Something other than a person that acted: a rule, a connector, or the system itself."""

    kind: str
    label: str

    @classmethod
    def rule(cls, label: str) -> SystemActor:
        return cls(AuditEvent.ActorKind.RULE, label)

    @classmethod
    def connector(cls, label: str) -> SystemActor:
        return cls(AuditEvent.ActorKind.CONNECTOR, label)

    @classmethod
    def system(cls, label: str = "system") -> SystemActor:
        return cls(AuditEvent.ActorKind.SYSTEM, label)


Actor = User | SystemActor


@contextmanager
def audit_context(*, request_id: str = "", job_id: str = "") -> Iterator[None]:
    """Tag every event recorded inside the block with the request or job that caused it."""
    tokens = []
    if request_id:
        tokens.append((_request_id, _request_id.set(request_id)))
    if job_id:
        tokens.append((_job_id, _job_id.set(job_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def _stored_json(value: Any) -> tuple[Any, str | None]:
    """A JSON field's value as the database will give it back, and the text that stores it.

    Round-tripping through JSON means the hash is computed over exactly what is stored.
    """
    if value is None:
        return None, None
    text = json.dumps(_mask_secrets(value), cls=DjangoJSONEncoder)
    return json.loads(text), text


_SECRET_KEY = re.compile("|".join(SECRET_KEYS))


@lru_cache(maxsize=1024)
def _is_secret(key: str) -> bool:
    return _SECRET_KEY.search(key.lower()) is not None


def _mask_secrets(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: ("•••" if _is_secret(str(k)) else _mask_secrets(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_secrets(v) for v in value]
    return value


def _last_event() -> tuple[int, str]:
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def record(
    event_type: str,
    *,
    actor: Actor,
    target: models.Model | None = None,
    target_repr: str = "",
    channel_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"record({event_type!r}) must run inside the change's transaction.")
    lock_chain()
    _, last_hash = _last_event()
    columns, _ = _columns(
        PendingEvent(event_type, actor, target, target_repr, channel_id, before, after, data),
        timezone.now(),
        last_hash,
    )
    event = AuditEvent(**columns)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class PendingEvent:
    """One event for ``record_many``: the same arguments ``record`` takes."""

    event_type: str
    actor: Actor
    target: models.Model | None = None
    target_repr: str = ""
    channel_id: int | None = None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    data: Mapping[str, Any] | None = None


def record_many(pending: list[PendingEvent]) -> None:
    """Append several events with one lock and one insert, chained in order.

    For batch work (evaluating a page of comments): the same chain and content as calling
    ``record`` once per event, at a fraction of the cost. On PostgreSQL the rows go in by
    ``COPY``: a batch of 1,000 comments writes thousands of events, and preparing each as a model
    for ``bulk_create`` costs more than the database's work.
    """
    if not pending:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_many must run inside the change's transaction.")
    lock_chain()
    _, prev = _last_event()
    now = timezone.now()
    rows = []
    for item in pending:
        columns, json_texts = _columns(item, now, prev)
        prev = columns["hash"]
        rows.append((columns, json_texts))
    _insert_events(rows)


Rows = list[tuple[dict[str, Any], dict[str, str | None]]]


def _insert_events(rows: Rows) -> None:
    if connection.vendor == "postgresql":
        _copy_events(rows)
    else:
        _create_events(rows)


def _create_events(rows: Rows) -> None:
    AuditEvent.objects.bulk_create([AuditEvent(**columns) for columns, _ in rows])


def _copy_events(rows: Rows) -> None:
    names = list(rows[0][0])
    quote = connection.ops.quote_name
    column_of = {field.attname: str(field.column) for field in AuditEvent._meta.concrete_fields}
    columns = ", ".join(quote(column_of[name]) for name in names)
    statement = f"COPY {quote(AuditEvent._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as django_cursor, django_cursor.cursor.copy(statement) as copy:
        for columns_of_row, json_texts in rows:
            copy.write_row([json_texts.get(name, value) for name, value in columns_of_row.items()])


def _columns(
    item: PendingEvent, occurred_at: datetime, prev_hash: str
) -> tuple[dict[str, Any], dict[str, str | None]]:
    """An event's column values (hash included), and the JSON columns' stored text."""
    if isinstance(item.actor, User):
        actor_id: int | None = item.actor.pk
        kind: str = AuditEvent.ActorKind.USER
        label = item.actor.label
    else:
        actor_id, kind, label = None, item.actor.kind, item.actor.label
    target = item.target
    before, before_text = _stored_json(item.before)
    after, after_text = _stored_json(item.after)
    data, data_text = _stored_json(item.data or {})
    columns = {
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "actor_kind": kind,
        "actor_label": label[:300],
        "event_type": item.event_type,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "target_repr": (item.target_repr or (str(target) if target is not None else ""))[:300],
        "channel_id": item.channel_id,
        "before": before,
        "after": after,
        "data": data,
        "request_id": _request_id.get(),
        "job_id": _job_id.get(),
        "prev_hash": prev_hash,
        "key_id": current_key_id(),
    }
    columns["hash"] = compute_hash(prev_hash, content(columns), columns["key_id"])
    return columns, {"before": before_text, "after": after_text, "data": data_text}
