"""Sign-in throttling: after repeated failures an account (and the address trying it) waits.

Counts live in the cache (Redis in production), keyed by username and by client address, so a
burst against one account and a spray across many accounts are both slowed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"signin-fail:user:{digest}", f"signin-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    # An address gets more room than one account: a shared council office NAT is common.
    user_key, addr_key = _keys(username, address)
    return (cache.get(user_key, 0) >= limit) or (cache.get(addr_key, 0) >= limit * 4)


def note_failure(username: str, address: str) -> None:
    timeout = settings.LOGIN_LOCKOUT_MINUTES * 60
    for key in _keys(username, address):
        cache.add(key, 0, timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)


def clear_failures(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
