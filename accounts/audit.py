"""The audit log: ``record()`` is the only way an ``AuditEvent`` is written.

Every state-changing action calls ``record()`` inside its own transaction, so the change and its
event commit or roll back together. Events form a hash chain; ``verify_chain()`` walks it and names
the first event whose content or link no longer matches.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import AuditEvent, User

GENESIS_HASH = "0" * 64
# Any constant will do: it only has to be the same for every writer of the chain.
CHAIN_LOCK_KEY = 0x5A4D_A0D1
SECRET_KEYS = ("password", "secret", "token", "api_key", "credentials", "access_token")
LAST_VERIFICATION_CACHE_KEY = "audit:last-verification"

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


def content_of(event: AuditEvent) -> dict[str, Any]:
    """The fields the hash covers, in a canonical form."""
    return _content({name: getattr(event, name) for name in _HASHED})


_HASHED = (
    "occurred_at",
    "actor_id",
    "actor_kind",
    "actor_label",
    "event_type",
    "target_type",
    "target_id",
    "target_repr",
    "channel_id",
    "before",
    "after",
    "data",
    "request_id",
    "job_id",
)


def _content(values: Mapping[str, Any]) -> dict[str, Any]:
    content = {name: values[name] for name in _HASHED}
    content["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    return content


def compute_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise writers so each event links to the one before it (SQLite serialises anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


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
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    columns, _ = _columns(
        PendingEvent(event_type, actor, target, target_repr, channel_id, before, after, data),
        timezone.now(),
        last or GENESIS_HASH,
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
    ``COPY``; a batch of 1,000 comments writes thousands of events, and preparing each as a model
    for ``bulk_create`` cost more than the database's work (docs/ingest.md).
    """
    if not pending:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_many must run inside the change's transaction.")
    _lock_chain()
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
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
    }
    columns["hash"] = compute_hash(prev_hash, _content(columns))
    return columns, {"before": before_text, "after": after_text, "data": data_text}


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    last_verified_id: int | None = None
    last_verified_at: datetime | None = None
    checked_at: datetime | None = None


def verify_chain() -> ChainReport:
    """Walk every event in order; report the first whose hash or link does not match."""
    prev = GENESIS_HASH
    checked = 0
    last: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            report = ChainReport(
                False,
                checked,
                event.pk,
                "its link does not match the event before it",
                *_tail(last),
            )
            break
        if compute_hash(event.prev_hash, content_of(event)) != event.hash:
            report = ChainReport(
                False,
                checked,
                event.pk,
                "its content was changed after it was written",
                *_tail(last),
            )
            break
        prev = event.hash
        checked += 1  # noqa: SIM113 - the count must survive the loop's early exits
        last = event
    else:
        report = ChainReport(True, checked, None, "", *_tail(last))
    report = ChainReport(**{**report.__dict__, "checked_at": timezone.now()})
    cache.set(LAST_VERIFICATION_CACHE_KEY, report.__dict__, timeout=None)
    return report


def _tail(last: AuditEvent | None) -> tuple[int | None, datetime | None]:
    return (last.pk, last.occurred_at) if last is not None else (None, None)


def last_verification() -> ChainReport | None:
    """The result of the most recent ``verify_chain`` run, if the cache still holds it."""
    stored = cache.get(LAST_VERIFICATION_CACHE_KEY)
    return ChainReport(**stored) if stored else None
