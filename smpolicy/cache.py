"""The cache backend: Django's Redis cache, answering as an empty cache while Redis is down.

Nothing the console must keep lives in the cache: sessions are in the database, the audit log's
last verification and the reports' suggestions are recomputed, and the once-per-period
housekeeping (``moderation.housekeeping.dispatch_housekeeping``) is simply not dispatched while
Redis, which its jobs need anyway, is away. So a cache that cannot be reached is treated as a
miss, and sign-in, pages and actions keep working (a warning is logged, at most once a minute).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 60.0
T = TypeVar("T")


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose every operation, when Redis cannot be reached, does nothing and
    answers as a cache without the key would."""

    _last_warning = 0.0

    def _tolerant(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except UNAVAILABLE as error:
            now = time.monotonic()
            if now - ResilientRedisCache._last_warning >= WARN_EVERY_SECONDS:
                ResilientRedisCache._last_warning = now
                log.warning(
                    "Cache unavailable (%s in %s); carrying on without it", error, operation
                )
            return fallback

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._tolerant(
            "add", lambda: RedisCache.add(self, key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._tolerant("get", lambda: RedisCache.get(self, key, default, version), default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._tolerant("set", lambda: RedisCache.set(self, key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._tolerant("touch", lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._tolerant("delete", lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._tolerant("get_many", lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._tolerant("has_key", lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return RedisCache.incr(self, key, delta, version)
        except UNAVAILABLE as error:
            # What Django raises for a key that is not there, which callers already handle.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from error

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._tolerant(
            "set_many", lambda: RedisCache.set_many(self, data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._tolerant("delete_many", lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self) -> None:
        self._tolerant("clear", lambda: RedisCache.clear(self), None)
