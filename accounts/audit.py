"""The audit log: ``record()`` is the only way an ``AuditEvent`` is written.

Every state-changing action calls ``record()`` inside its own transaction, so the change and its
event commit or roll back together. Events form a hash chain; ``verify_chain()`` walks it and names
the first event whose content or link no longer matches.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
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


def _json_ready(value: Any) -> Any:
    """Round-trip through JSON so the hash is computed over exactly what the database stores."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _mask_secrets(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: ("•••" if any(s in str(k).lower() for s in SECRET_KEYS) else _mask_secrets(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_mask_secrets(v) for v in value]
    return value


def content_of(event: AuditEvent) -> dict[str, Any]:
    """The fields the hash covers, in a canonical form."""
    return {
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_kind": event.actor_kind,
        "actor_label": event.actor_label,
        "event_type": event.event_type,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "channel_id": event.channel_id,
        "before": event.before,
        "after": event.after,
        "data": event.data,
        "request_id": event.request_id,
        "job_id": event.job_id,
    }


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
    event = _build(
        PendingEvent(event_type, actor, target, target_repr, channel_id, before, after, data),
        timezone.now(),
        last or GENESIS_HASH,
    )
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


def record_many(pending: list[PendingEvent]) -> list[AuditEvent]:
    """Append several events with one lock and one insert, chained in order.

    For batch work (evaluating a page of comments): the same chain and content as calling
    ``record`` once per event, at a fraction of the round trips.
    """
    if not pending:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_many must run inside the change's transaction.")
    _lock_chain()
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
    now = timezone.now()
    events = []
    for item in pending:
        event = _build(item, now, prev)
        prev = event.hash
        events.append(event)
    return AuditEvent.objects.bulk_create(events)


def _build(item: PendingEvent, occurred_at: datetime, prev_hash: str) -> AuditEvent:
    if isinstance(item.actor, User):
        actor_user: User | None = item.actor
        kind: str = AuditEvent.ActorKind.USER
        label = item.actor.label
    else:
        actor_user, kind, label = None, item.actor.kind, item.actor.label
    target = item.target
    event = AuditEvent(
        occurred_at=occurred_at,
        actor=actor_user,
        actor_kind=kind,
        actor_label=label[:300],
        event_type=item.event_type,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(item.target_repr or (str(target) if target is not None else ""))[:300],
        channel_id=item.channel_id,
        before=_json_ready(_mask_secrets(item.before)),
        after=_json_ready(_mask_secrets(item.after)),
        data=_json_ready(_mask_secrets(item.data or {})),
        request_id=_request_id.get(),
        job_id=_job_id.get(),
        prev_hash=prev_hash,
    )
    event.hash = compute_hash(event.prev_hash, content_of(event))
    return event


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
