"""How audit events are chained: the hashed content, the HMAC key, and the writers' lock.

Each event's ``hash`` is HMAC-SHA256, keyed with ``AUDIT_HMAC_KEY`` (from the environment, never
stored in the database), over the previous event's hash and this event's canonical content. Without
the key, nobody who can write SQL can rewrite an event and recompute the hashes after it. The
event's ``key_id`` names which key (a fingerprint, not the key) so that keys can be rotated
(``AUDIT_HMAC_OLD_KEYS`` keeps old ones verifiable). Events written before the chain was keyed
have an empty ``key_id`` and a plain SHA-256 hash; a signed checkpoint of their head, written
when the key was introduced, seals them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection

GENESIS_HASH = "0" * 64
# Any constant will do: it only has to be the same for every writer of the chain.
CHAIN_LOCK_KEY = 0x5A4D_A0D1
LEGACY_KEY_ID = ""

HASHED = (
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


def content(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the hash covers, in a canonical form."""
    canonical = {name: values[name] for name in HASHED}
    canonical["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    return canonical


def content_of(event: Any) -> dict[str, Any]:
    return content({name: getattr(event, name) for name in HASHED})


def key_id_of(key: str) -> str:
    """A fingerprint that names a key without revealing it."""
    return hmac.new(key.encode(), b"smpolicy audit key id", hashlib.sha256).hexdigest()[:16]


@cache
def _keys(current: str, old: tuple[str, ...]) -> dict[str, bytes]:
    return {key_id_of(key): key.encode() for key in (current, *old) if key}


def known_keys() -> dict[str, bytes]:
    return _keys(settings.AUDIT_HMAC_KEY, tuple(settings.AUDIT_HMAC_OLD_KEYS))


def current_key_id() -> str:
    return key_id_of(settings.AUDIT_HMAC_KEY)


def _canonical(prev_hash: str, values: Mapping[str, Any]) -> bytes:
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return (prev_hash + text).encode()


def compute_hash(prev_hash: str, values: Mapping[str, Any], key_id: str) -> str | None:
    """The event's hash under the scheme ``key_id`` names; None for a key this process lacks."""
    if key_id == LEGACY_KEY_ID:
        return hashlib.sha256(_canonical(prev_hash, values)).hexdigest()
    key = known_keys().get(key_id)
    if key is None:
        return None
    return hmac.new(key, _canonical(prev_hash, values), hashlib.sha256).hexdigest()


def checkpoint_signature(
    key_id: str, last_event_id: int, last_event_hash: str, event_count: int, created_at: str
) -> str | None:
    key = known_keys().get(key_id)
    if key is None:
        return None
    message = f"{last_event_id}:{last_event_hash}:{event_count}:{created_at}".encode()
    return hmac.new(key, b"checkpoint:" + message, hashlib.sha256).hexdigest()


def lock_chain() -> None:
    """Serialise writers so each event links to the one before it (SQLite serialises anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
