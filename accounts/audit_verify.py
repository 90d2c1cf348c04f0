"""Verifying the audit log: the keyed chain, and the signed checkpoints of its head.

``verify_chain`` names the first event whose content or link no longer matches (a rewrite, even
with every later hash recomputed, since that needs the key), an unkeyed event after keyed ones,
an event whose hash differs from the one a checkpoint signed, and, from the newest checkpoint,
how many of the newest events were deleted or that the table was emptied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from accounts.audit_chain import (
    GENESIS_HASH,
    LEGACY_KEY_ID,
    checkpoint_signature,
    compute_hash,
    content_of,
)
from accounts.models import AuditCheckpoint, AuditEvent

LAST_VERIFICATION_CACHE_KEY = "audit:last-verification"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    last_verified_id: int | None = None
    last_verified_at: datetime | None = None
    checked_at: datetime | None = None
    # How many events a checkpoint counted that are no longer there.
    missing: int = 0


class _Broken(Exception):
    def __init__(self, event_id: int | None, reason: str, missing: int = 0) -> None:
        super().__init__(reason)
        self.event_id, self.reason, self.missing = event_id, reason, missing


def _events(count: int) -> str:
    return f"{count} event{'' if count == 1 else 's'}"


def _checkpoints() -> list[AuditCheckpoint]:
    """Every checkpoint, oldest head first; one whose signature fails is itself a finding."""
    checkpoints = list(AuditCheckpoint.objects.order_by("last_event_id", "id"))
    for checkpoint in checkpoints:
        expected = checkpoint_signature(
            checkpoint.key_id,
            checkpoint.last_event_id,
            checkpoint.last_event_hash,
            checkpoint.event_count,
            checkpoint.created_at.isoformat(),
        )
        if expected is None or expected != checkpoint.signature:
            raise _Broken(
                checkpoint.last_event_id,
                f"checkpoint {checkpoint.pk} (of {checkpoint.created_at:%Y-%m-%d %H:%M}) was "
                "forged or altered: its signature does not match",
            )
    return checkpoints


def _check_event(event: AuditEvent, prev: str, keyed_seen: bool) -> None:
    if event.prev_hash != prev:
        raise _Broken(event.pk, "its link does not match the event before it")
    if keyed_seen and event.key_id == LEGACY_KEY_ID:
        raise _Broken(
            event.pk,
            "its content was changed after it was written (it has an unkeyed hash after keyed "
            "events began)",
        )
    expected = compute_hash(event.prev_hash, content_of(event), event.key_id)
    if expected is None:
        raise _Broken(event.pk, f"its hash was made with an unknown audit key ({event.key_id})")
    if expected != event.hash:
        raise _Broken(event.pk, "its content was changed after it was written")


def _check_against(checkpoint: AuditCheckpoint, event: AuditEvent, count: int) -> None:
    if event.hash != checkpoint.last_event_hash:
        raise _Broken(
            event.pk,
            f"it differs from the event the checkpoint of {checkpoint.created_at:%Y-%m-%d %H:%M} "
            "signed: events up to it were rewritten",
        )
    if count != checkpoint.event_count:
        lost = checkpoint.event_count - count
        raise _Broken(event.pk, f"{_events(lost)} before it are missing", missing=max(lost, 0))


def _missing(
    checkpoint: AuditCheckpoint, last: AuditEvent | None, count: int, *, at_end: bool
) -> _Broken:
    """Events a checkpoint counted are gone: the newest ones, or the whole table."""
    when = f"{checkpoint.created_at:%Y-%m-%d %H:%M}"
    counted = checkpoint.event_count
    lost = counted - count
    signed = (
        f"the checkpoint of {when} counted {_events(counted)}, up to event "
        f"{checkpoint.last_event_id}"
    )
    if last is None and at_end:
        return _Broken(
            checkpoint.last_event_id, f"the audit log was emptied: {signed}", missing=counted
        )
    if at_end:
        ends = f"event {last.pk}" if last is not None else "nothing"
        verb = "is" if lost == 1 else "are"
        return _Broken(
            checkpoint.last_event_id,
            f"the last {_events(lost)} {verb} missing: {signed}, and the log now ends at {ends}",
            missing=lost,
        )
    return _Broken(
        checkpoint.last_event_id,
        f"{_events(lost)} up to event {checkpoint.last_event_id} are missing ({signed}); "
        "later events were added after they went",
        missing=lost,
    )


def _walk() -> tuple[int, AuditEvent | None, _Broken | None]:
    checked = 0
    last: AuditEvent | None = None
    try:
        checkpoints = _checkpoints()  # read before the events, so none is newer than they are
        pending = list(checkpoints)
        prev, keyed_seen = GENESIS_HASH, False
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
            gone = [c for c in pending if c.last_event_id < event.pk]
            if gone:
                # Events checkpoints signed are gone, and later events follow.
                raise _missing(gone[-1], last, checked, at_end=False)
            _check_event(event, prev, keyed_seen)
            keyed_seen = keyed_seen or event.key_id != LEGACY_KEY_ID
            while pending and pending[0].last_event_id == event.pk:
                _check_against(pending.pop(0), event, checked + 1)
            prev = event.hash
            checked += 1
            last = event
        if pending:
            raise _missing(pending[-1], last, checked, at_end=True)
    except _Broken as broken:
        return checked, last, broken
    return checked, last, None


def verify_chain() -> ChainReport:
    """Walk every event in order; report the first thing that does not match."""
    checked, last, broken = _walk()
    report = ChainReport(
        ok=broken is None,
        checked=checked,
        first_broken_id=broken.event_id if broken else None,
        reason=broken.reason if broken else "",
        last_verified_id=last.pk if last is not None else None,
        last_verified_at=last.occurred_at if last is not None else None,
        checked_at=timezone.now(),
        missing=broken.missing if broken else 0,
    )
    cache.set(LAST_VERIFICATION_CACHE_KEY, report.__dict__, timeout=None)
    return report


def last_verification() -> ChainReport | None:
    """The result of the most recent ``verify_chain`` run, if the cache still holds it."""
    stored = cache.get(LAST_VERIFICATION_CACHE_KEY)
    return ChainReport(**stored) if stored else None
