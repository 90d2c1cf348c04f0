"""A Bluesky channel connected with an app password: its session, kept and renewed.

Credentials: `identifier` and `password`, and the session: `access_token` (the `accessJwt`) and
`refresh_token` (the `refreshJwt`). One session per channel is kept and reused by every poll and
every action, because bsky.social allows about 30 logins (`com.atproto.server.createSession`)
per 5 minutes and 100 a day per account:
- a stored `access_token` is used as it is;
- when Bluesky answers `ExpiredToken`, the session is refreshed with
  `com.atproto.server.refreshSession` (the refresh JWT as the bearer), which also replaces the
  refresh JWT;
- only when there is no session, or the refresh JWT is dead too, does the connector log in again;
- every new session goes to `ChannelConfig.on_refresh`, which stores it encrypted, under the
  channel's refresh lock (two workers meeting an expired token refresh it once).
A login refused by the quota (429) is a `TransientError` carrying the wait, never retried at
once. (Connected with OAuth instead: `bluesky_oauth_session.py`.)
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from moderation.connectors.base import ChannelConfig
from moderation.connectors.errors import PermanentError, TransientError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.parsing import dig, iso

DEAD_SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})


class AppPasswordSession:
    def __init__(
        self,
        config: ChannelConfig,
        http: HttpClient,
        error_parser: Callable[[HttpResponse], PlatformError | None],
        base_url: str,
    ) -> None:
        self.config = config
        self.http = http
        self.error_parser = error_parser
        self.base_url = base_url
        self.credentials: dict[str, str] = dict(config.credentials)

    def _can_log_in(self) -> bool:
        return bool(self.credentials.get("identifier") and self.credentials.get("password"))

    def access_token(self) -> str:
        token = self.credentials.get("access_token", "")
        if token:
            return token
        if self._can_log_in():
            self.renew(expired="")
            return self.credentials["access_token"]
        raise PermanentError(
            "Bluesky: this channel has neither a session nor an app password; reconnect it",
            code="no_token",
        )

    def renew(self, expired: str, cause: PermanentError | None = None) -> None:
        """A working session: another worker's, a refreshed one, or, last, a new login."""
        lock = self.config.refresh_lock
        with lock() if lock is not None else nullcontext() as stored:
            current = stored.get("access_token", "") if stored else ""
            if current and current != expired:
                self.credentials = {**self.credentials, **(stored or {})}
                return
            refresh = self.credentials.get("refresh_token", "")
            session = self._refresh_session(refresh) if refresh else None
            if session is None:
                if not self._can_log_in():
                    said = f"{cause.message}; " if cause is not None else "Bluesky: "
                    raise PermanentError(
                        f"{said}the channel's session has expired and it has no app password "
                        "to log in again: reconnect it",
                        status=cause.status if cause is not None else None,
                        code="ExpiredToken",
                    )
                session = self._create_session()
            self.credentials = {**self.credentials, **session}
            if self.config.on_refresh is not None:
                self.config.on_refresh(dict(self.credentials))

    def _refresh_session(self, refresh_token: str) -> dict[str, str] | None:
        try:
            response = self.http.request(
                "POST",
                f"{self.base_url}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {refresh_token}"},
                error_parser=self.error_parser,
                idempotent=False,  # the refresh JWT is spent by the first use
            )
        except PermanentError as error:
            if error.code in DEAD_SESSION_ERRORS or error.status in (400, 401):
                return None
            raise
        return _session(response.json())

    def _create_session(self) -> dict[str, str]:
        try:
            response = self.http.request(
                "POST",
                f"{self.base_url}/xrpc/com.atproto.server.createSession",
                json={
                    "identifier": self.credentials["identifier"],
                    "password": self.credentials["password"],
                },
                error_parser=self.error_parser,
                idempotent=False,  # each attempt spends one of the day's logins
            )
        except TransientError as error:
            if error.status != 429:
                raise
            wait = f" for {error.retry_after / 60:.0f} minutes" if error.retry_after else ""
            raise TransientError(
                "Bluesky refused to log in again: an account may log in about 30 times in 5 "
                f"minutes and 100 times a day. The channel waits{wait} before trying again.",
                status=429,
                code="RateLimitExceeded",
                retry_after=error.retry_after,
            ) from error
        return _session(response.json())


def _session(body: Any) -> dict[str, str]:
    access, refresh = dig(body, "accessJwt"), dig(body, "refreshJwt")
    if not isinstance(access, str) or not access or not isinstance(refresh, str):
        raise PermanentError("Bluesky: signing in returned no session", code="no_token")
    session = {"access_token": access, "refresh_token": refresh}
    for key, name in (("access_token_expires_at", access), ("refresh_token_expires_at", refresh)):
        expiry = _jwt_expiry(name)
        if expiry:
            session[key] = expiry
    return session


def _jwt_expiry(token: str) -> str:
    """The `exp` claim of a JWT as ISO 8601, read without verifying (it is only a hint for
    refreshing ahead); "" when it has none."""
    parts = token.split(".")
    if len(parts) != 3:
        return ""
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return iso(datetime.fromtimestamp(float(claims["exp"]), UTC))
    except (ValueError, KeyError, TypeError, OverflowError):
        return ""
