"""What a failed platform call raises: transient (try later) or permanent (retrying will not help).

Kept apart from the connector interface so that the HTTP wrapper, which raises them, and the
interface, which uses the wrapper, import in one direction.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """A platform call failed. `str(error)` is written for the officer who asked for it."""

    permanent: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        retry_after: float | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # the HTTP status, when there was an answer
        self.code = code  # the platform's own error code or reason, e.g. "190", "quotaExceeded"
        self.retry_after = retry_after  # seconds the platform asked us to wait, when it said
        # True when a request that creates something (a reply) may have reached the platform
        # before the connection failed: retrying could post it twice.
        self.outcome_unknown = outcome_unknown


class TransientError(ConnectorError):
    """Try again later: rate limits, 5xx, timeouts, connection errors."""

    permanent = False


class PermanentError(ConnectorError):
    """Retrying will not help: expired token, missing permission, not found, not allowed."""

    permanent = True
