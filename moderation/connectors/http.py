"""The one HTTP wrapper every connector uses: timeouts, retries, typed errors.

Retries happen here, briefly, with exponential backoff and full jitter, on 429, 5xx, timeouts
and connection errors, and when a platform's error envelope says "slow down" on another status
(the Graph API throttles with HTTP 400/403, TikTok with HTTP 200). A wait the platform asks for
(`Retry-After` in seconds or as an HTTP date, X's `x-rate-limit-reset`, Bluesky's
`RateLimit-Reset`, Mastodon's `X-RateLimit-Reset`) is honoured exactly. A wait longer than
`backoff_cap` is not slept through: the call fails at once with `TransientError.retry_after` so
the outbox or the poller can reschedule instead of holding a worker.

After the retries a `TransientError` is raised; any other 4xx raises `PermanentError` with the
message from the platform's own envelope (each connector passes a parser for it).

Requests that create something (a reply) pass `idempotent=False`: they are retried only when
the request certainly never reached the platform (connection refused, connect timeout, 429).
A read timeout or a 5xx then raises `TransientError` with `outcome_unknown=True`, because
sending it again could post the reply twice.

Meta reports how much of its rate limit an app has used in `X-App-Usage` and
`X-Business-Use-Case-Usage`; `HttpResponse.meta_usage_percent()` reads them and the wrapper logs
a warning above 90 %.

Nothing else in the project imports `requests`.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from moderation.connectors.errors import PermanentError, TransientError

log = logging.getLogger(__name__)

USER_AGENT = "smpolicy-connector/1.0 (+social media moderation for a public body)"
META_USAGE_WARNING_PERCENT = 90.0


@dataclass(frozen=True)
class PlatformError:
    """A platform's error envelope, read by a connector's parser."""

    message: str
    code: str = ""
    transient: bool = False  # the platform says "try again later" whatever the HTTP status
    retry_after: float | None = None


class HttpResponse:
    """The parts of an answer a connector needs; `json()` never returns garbage silently."""

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str],
        content: bytes,
        url: str = "",
        *,
        idempotent: bool = True,
    ) -> None:
        self.status = status
        self.headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(dict(headers))
        self.content = content
        self.url = url
        self.idempotent = idempotent  # whether the request was safe to send twice
        # The body parsed once: the error parser reads every answer, then the connector does.
        self._parsed: tuple[Any, Exception | None] | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def _parse(self) -> tuple[Any, Exception | None]:
        if self._parsed is None:
            try:
                self._parsed = (jsonlib.loads(self.content), None)
            except (ValueError, RecursionError) as error:
                self._parsed = (None, error)
        return self._parsed

    def json(self) -> Any:
        body, error = self._parse()
        if error is not None:
            # A success to a request that is not safe to repeat (a reply) did happen on the
            # platform, whatever its body says: sending it again would post it twice.
            maybe_done = self.ok and not self.idempotent
            raise TransientError(
                f"The platform answered with something that is not JSON (HTTP {self.status})"
                + (_MAYBE_SENT if maybe_done else ""),
                status=self.status,
                outcome_unknown=maybe_done,
            ) from error
        return body

    def json_or_none(self) -> Any:
        return self._parse()[0]

    def links(self) -> dict[str, str]:
        """The `Link` header (RFC 8288) as {rel: url}, as Mastodon pages with it."""
        found: dict[str, str] = {}
        for part in self.headers.get("Link", "").split(","):
            match = re.match(r"\s*<([^>]*)>\s*;(.*)", part)
            if not match:
                continue
            rel = re.search(r'rel="?([^";]+)"?', match.group(2))
            if rel:
                for name in rel.group(1).split():
                    found[name] = match.group(1)
        return found

    def meta_usage_percent(self) -> float | None:
        """The highest usage figure Meta reports for this app or business, in percent."""
        figures: list[float] = []
        for header in ("X-App-Usage", "X-Ad-Account-Usage", "X-Business-Use-Case-Usage"):
            value = self.headers.get(header)
            if value:
                figures.extend(_usage_figures(value))
        return max(figures) if figures else None


ErrorParser = Callable[[HttpResponse], PlatformError | None]


@dataclass(frozen=True)
class SentRequest:
    """One request exactly as it went on the wire (for contract tests: `HttpClient(recorder=…)`)."""

    method: str
    url: str  # with the query string, as encoded
    headers: Mapping[str, str]
    body: bytes

    @classmethod
    def of(cls, prepared: requests.PreparedRequest) -> SentRequest:
        body = prepared.body or b""
        return cls(
            method=str(prepared.method),
            url=str(prepared.url),
            headers=CaseInsensitiveDict(dict(prepared.headers)),
            body=body.encode() if isinstance(body, str) else bytes(body),
        )

    def json(self) -> Any:
        return jsonlib.loads(self.body) if self.body else None


class HttpClient:
    """One `requests.Session` with the project's retry policy. Not shared between threads."""

    def __init__(
        self,
        timeout: tuple[float, float] = (3.05, 10),
        max_retries: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 30,
        sleep: Callable[[float], Any] = time.sleep,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
        recorder: Callable[[SentRequest], Any] | None = None,
        answered: Callable[[SentRequest, HttpResponse], Any] | None = None,
    ) -> None:
        self.timeout = timeout
        # Called with every request before it is sent, retries included, and with each request
        # and its answer (contract tests check both against the platforms' definitions).
        self.recorder = recorder
        self.answered = answered
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        error_parser: ErrorParser | None = None,
        idempotent: bool = True,
    ) -> HttpResponse:
        what = f"{method} {_redacted(url)}"
        attempt = 0
        while True:
            try:
                prepared = self.session.prepare_request(
                    requests.Request(
                        method,
                        url,
                        params=params,
                        json=json,
                        data=data,
                        headers=dict(headers or {}),
                    )
                )
                sent = SentRequest.of(prepared)
                if self.recorder is not None:
                    self.recorder(sent)
                raw = self.session.send(prepared, timeout=self.timeout, allow_redirects=False)
            except requests.RequestException as error:
                not_sent = _surely_not_sent(error)
                reason = _describe_exception(error)
                if attempt < self.max_retries and (idempotent or not_sent):
                    self._wait(attempt, None, what, reason)
                    attempt += 1
                    continue
                raise TransientError(
                    f"{what} failed: {reason}" + ("" if idempotent or not_sent else _MAYBE_SENT),
                    outcome_unknown=not (idempotent or not_sent),
                ) from error

            response = HttpResponse(
                raw.status_code, raw.headers, raw.content, raw.url, idempotent=idempotent
            )
            if self.answered is not None:
                self.answered(sent, response)
            self._note_meta_usage(response, what)
            problem = _safe_parse(error_parser, response)
            if response.ok and problem is None:
                return response
            if 300 <= response.status < 400:
                raise PermanentError(
                    f"{what} was redirected (HTTP {response.status}); check the base address",
                    status=response.status,
                )

            message = problem.message if problem else _fallback_message(response)
            code = problem.code if problem else ""
            hint = problem.retry_after if problem and problem.retry_after is not None else None
            if hint is None:
                hint = self._retry_after(response)
            transient = (
                response.status == 429
                or response.status >= 500
                or bool(problem and problem.transient)
            )
            if not transient:
                raise PermanentError(message, status=response.status, code=code)

            retry_safe = idempotent or response.status == 429
            if hint is not None and hint > self.backoff_cap:
                # Holding a worker for minutes helps nobody: hand the wait to the scheduler.
                raise TransientError(
                    f"{message} (the platform asks to wait {hint:.0f} s)",
                    status=response.status,
                    code=code,
                    retry_after=hint,
                )
            if attempt < self.max_retries and retry_safe:
                self._wait(attempt, hint, what, f"HTTP {response.status}")
                attempt += 1
                continue
            raise TransientError(
                message + ("" if retry_safe else _MAYBE_SENT),
                status=response.status,
                code=code,
                retry_after=hint,
                outcome_unknown=not retry_safe,
            )

    # --- waiting -------------------------------------------------------------------------

    def _wait(self, attempt: int, hint: float | None, what: str, reason: str) -> None:
        if hint is not None:
            delay = hint
        else:
            delay = self.rng.uniform(0, min(self.backoff_cap, self.backoff_base * 2**attempt))
        log.info("%s: %s; retrying in %.2f s (retry %d)", what, reason, delay, attempt + 1)
        self.sleep(delay)

    def _retry_after(self, response: HttpResponse) -> float | None:
        """Seconds to wait before retrying, from whichever header the platform sent."""
        now = self.clock()
        value = response.headers.get("Retry-After")
        if value:
            seconds = _seconds_from_header(value, now)
            if seconds is not None:
                return seconds
        if response.status != 429:
            return None
        for header in ("x-rate-limit-reset", "RateLimit-Reset", "X-RateLimit-Reset"):
            value = response.headers.get(header)
            if value:
                seconds = _seconds_from_header(value, now)
                if seconds is not None:
                    return seconds
        return None

    def _note_meta_usage(self, response: HttpResponse, what: str) -> None:
        usage = response.meta_usage_percent()
        if usage is not None and usage >= META_USAGE_WARNING_PERCENT:
            log.warning("%s: Meta reports %.0f%% of the rate limit used", what, usage)


_MAYBE_SENT = " (the platform may have received it: check before sending it again)"


def _safe_parse(parser: ErrorParser | None, response: HttpResponse) -> PlatformError | None:
    if parser is None:
        return None
    try:
        return parser(response)
    except Exception:  # a parser must never hide the real failure behind its own bug
        log.exception("Error parser failed on HTTP %s", response.status)
        return None


def _fallback_message(response: HttpResponse) -> str:
    snippet = " ".join(response.text.split())[:200]
    return f"HTTP {response.status} from the platform" + (f": {snippet}" if snippet else "")


def _seconds_from_header(value: str, now: float) -> float | None:
    """Seconds, an epoch time, an HTTP date or an ISO 8601 time, as seconds from `now`."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if number != number or number in (float("inf"), float("-inf")):
            return None
        # Large numbers are epoch seconds (X, Bluesky); small ones are a delay (Retry-After).
        seconds = number - now if number > 1_000_000_000 else number
        return max(0.0, seconds)
    when: datetime | None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None:
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def _usage_figures(value: str) -> list[float]:
    try:
        parsed = jsonlib.loads(value)
    except ValueError:
        return []
    figures: list[float] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if key in ("call_count", "total_cputime", "total_time", "acc_id_util_pct"):
                    if isinstance(item, int | float) and not isinstance(item, bool):
                        figures.append(float(item))
                else:
                    collect(item)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(parsed)
    return figures


def _surely_not_sent(error: requests.RequestException) -> bool:
    if isinstance(error, requests.ConnectTimeout):
        return True
    if isinstance(error, requests.ConnectionError):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        return isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return False


def _describe_exception(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "the platform did not answer in time"
    if isinstance(error, requests.ConnectionError):
        return "could not connect to the platform"
    return f"the request failed ({type(error).__name__})"


def _redacted(url: str) -> str:
    # Tokens can travel as query parameters; never let them reach a log or an error message.
    return re.sub(r"(?i)(access_token|appsecret_proof|key|token)=[^&]*", r"\1=…", url)
