"""Signed checkpoints of the audit chain's head, kept outside the audit table.

A checkpoint records the newest event's id and hash and how many events the chain held, signed
with the audit key. The scheduler writes one every ``AUDIT_CHECKPOINT_MINUTES`` when the head has
moved, and, checking at every tick, as soon as ``AUDIT_CHECKPOINT_EVERY`` events have come since
the newest; ``record()`` never writes one, so no web request waits for the signing. Each is also
written to the application log (logger ``accounts.audit``), which operators should ship off the
machine: it is the copy that someone who owns the database cannot reach.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit_chain import checkpoint_signature, current_key_id, lock_chain
from accounts.models import AuditCheckpoint, AuditEvent

logger = logging.getLogger("accounts.audit")


def write_checkpoint_if_due() -> AuditCheckpoint | None:
    """Sign the head if ``AUDIT_CHECKPOINT_EVERY`` events may have come since the newest
    checkpoint: ids can skip (a rolled-back insert), so this signs early rather than late."""
    head_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    newest = (
        AuditCheckpoint.objects.order_by("-last_event_id", "-id")
        .values_list("last_event_id", flat=True)
        .first()
    )
    if head_id is None or head_id - (newest or 0) < settings.AUDIT_CHECKPOINT_EVERY:
        return None
    return write_checkpoint()


def write_checkpoint(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the chain's current head, unless the newest checkpoint already has it."""
    with transaction.atomic():
        lock_chain()
        return _write(force=force)


def _write(*, force: bool = False) -> AuditCheckpoint | None:
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return None
    head_id, head_hash = head
    newest = AuditCheckpoint.objects.order_by("-last_event_id", "-id").first()
    if newest is not None and newest.last_event_id == head_id and not force:
        return None
    if newest is not None and newest.last_event_id <= head_id:
        since = AuditEvent.objects.filter(id__gt=newest.last_event_id, id__lte=head_id).count()
        count = newest.event_count + since
    else:
        count = AuditEvent.objects.filter(id__lte=head_id).count()
    created_at = timezone.now()
    key_id = current_key_id()
    signature = checkpoint_signature(key_id, head_id, head_hash, count, created_at.isoformat())
    assert signature is not None  # the current key is always known
    checkpoint = AuditCheckpoint(
        created_at=created_at,
        last_event_id=head_id,
        last_event_hash=head_hash,
        event_count=count,
        key_id=key_id,
        signature=signature,
    )
    checkpoint.save(force_insert=True)
    logger.info(
        "audit checkpoint: event %s, %s events, hash %s, signed %s (key %s) at %s",
        head_id,
        count,
        head_hash,
        signature,
        key_id,
        created_at.isoformat(),
    )
    return checkpoint
