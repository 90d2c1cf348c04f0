"""The chain is keyed (HMAC with AUDIT_HMAC_KEY from the environment): someone with SQL access
but not the key who rewrites an event and recomputes every later hash is still caught, at that
event. The key is never written to the database."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.conf import settings
from django.db import connection

from accounts.audit import SystemActor, content_of, verify_chain
from accounts.models import AuditEvent
from tests.factories import audit_events

ACTOR = SystemActor.system("test")


def plain_hash(prev: str, content: dict[str, object]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev + canonical).encode()).hexdigest()


def guessed_key_hash(prev: str, content: dict[str, object]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(b"a guess", (prev + canonical).encode(), hashlib.sha256).hexdigest()


def rewrite_from(events: list[AuditEvent], index: int, hasher, **extra: str) -> None:
    """Change one event's label, then recompute its hash and every later link and hash."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
        prev = events[index].prev_hash
        for position, original in enumerate(events[index:]):
            event = AuditEvent.objects.get(pk=original.pk)
            if position == 0:
                event.actor_label = "someone else"
            content = content_of(event)
            new_hash = hasher(prev, content)
            columns = {"actor_label": event.actor_label, "prev_hash": prev, "hash": new_hash}
            columns.update(extra)
            assignments = ", ".join(f"{name} = %s" for name in columns)
            cursor.execute(
                f"UPDATE accounts_auditevent SET {assignments} WHERE id = %s",
                [*columns.values(), event.pk],
            )
            prev = new_hash
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER USER")


@pytest.mark.django_db
def test_recomputing_plain_hashes_after_a_rewrite_is_caught_at_the_rewritten_event() -> None:
    events = audit_events(5)
    rewrite_from(events, 2, plain_hash)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[2].pk
    assert report.checked == 2


@pytest.mark.django_db
def test_recomputing_plain_hashes_as_if_unkeyed_is_caught_too() -> None:
    events = audit_events(5)
    rewrite_from(events, 2, plain_hash, key_id="")
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[2].pk


@pytest.mark.django_db
def test_recomputing_with_a_guessed_key_is_caught_at_the_rewritten_event() -> None:
    events = audit_events(4)
    rewrite_from(events, 1, guessed_key_hash)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == events[1].pk


@pytest.mark.django_db
def test_the_key_is_not_stored_with_the_events() -> None:
    (event,) = audit_events(1)
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert settings.AUDIT_HMAC_KEY
    assert not any(settings.AUDIT_HMAC_KEY in str(value) for value in row.values())
    assert event.hash != plain_hash(event.prev_hash, content_of(event))
