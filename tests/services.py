"""Decide which database and Redis the test suite uses, and say so.

Prints shell `export` lines for `make test` to evaluate. PostgreSQL and Redis are used when they
answer (``DATABASE_URL``/``REDIS_URL``, defaulting to 127.0.0.1:5432 and :6379); otherwise the
suite falls back to SQLite and in-process jobs, except under ``CI=true``, where a missing service
fails the run instead.
"""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/smpolicy"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def main() -> int:
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    exports = {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only-secret-key-not-for-production-use"
    }
    exports["DEBUG"] = "false"
    exports["CREDENTIALS_KEY"] = os.environ.get("CREDENTIALS_KEY") or (
        "dGVzdC1vbmx5LWNyZWRlbnRpYWxzLWtleS0zMmJ5dGU="
    )
    # A fixed key for tests only: production reads its own from the environment.
    exports["AUDIT_HMAC_KEY"] = os.environ.get("AUDIT_HMAC_KEY") or (
        "test-only-audit-hmac-key-not-for-production-0123456789"
    )
    exports["SECURE_SSL_REDIRECT"] = "false"
    exports["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    exports["RQ_ASYNC"] = "false"
    problems = []
    if database_url.startswith(("postgres://", "postgresql://")) and reachable(database_url, 5432):
        exports["DATABASE_URL"] = database_url
        print(f"tests: PostgreSQL at {urlparse(database_url).netloc}", file=sys.stderr)
    else:
        problems.append(f"PostgreSQL is not reachable at {database_url}")
        exports["DATABASE_URL"] = ""
        print(
            "tests: PostgreSQL not reachable, using SQLite (postgres-marked tests skip)",
            file=sys.stderr,
        )
    if reachable(redis_url, 6379):
        exports["REDIS_URL"] = redis_url
        print(f"tests: Redis at {urlparse(redis_url).netloc}", file=sys.stderr)
    else:
        problems.append(f"Redis is not reachable at {redis_url}")
        exports["REDIS_URL"] = ""
        print("tests: Redis not reachable, jobs run in-process", file=sys.stderr)
    if in_ci and problems:
        print("tests: CI=true needs both services: " + "; ".join(problems), file=sys.stderr)
        return 1
    for key, value in exports.items():
        print(f"export {key}='{value}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
