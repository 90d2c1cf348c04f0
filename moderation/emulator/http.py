"""The emulator's request and response values and its routes, shared by the platform modules.

Each platform module lists its endpoints as werkzeug `Rule`s (`route(path, endpoint, methods)`):
`ROUTES`, answered once the module's `guard` lets the request through (usually: a token is
present), and `OPEN_ROUTES`, answered before it (token endpoints, logins). An endpoint is called
as `endpoint(store, request, **values)` with the rule's variables, percent-decoded; a variable
whose name starts with "_" (`<_version>`) must be there but is not passed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.routing import Rule

if TYPE_CHECKING:
    from moderation.emulator.store import Store

# (store, request, **rule values) -> Response, or None to let the next map answer.
Endpoint = Callable[..., "Response | None"]


@dataclass
class Request:
    method: str
    platform: str
    path: str  # after the platform prefix, e.g. "/v21.0/999/feed"
    segments: list[str]  # `path` split on "/" and percent-decoded
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    body: Any  # parsed JSON body, or None
    headers: Mapping[str, str]  # names in lower case
    base: str  # e.g. "http://127.0.0.1:8765/facebook"

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def arg(self, name: str, default: str = "") -> str:
        """A parameter from the query string, a form body or a JSON body, in that order."""
        for source in (self.query, self.form):
            values = source.get(name)
            if values:
                return values[0]
        if isinstance(self.body, dict) and name in self.body:
            value = self.body[name]
            if isinstance(value, bool):
                return "true" if value else "false"
            return value if isinstance(value, str) else json.dumps(value)
        return default

    def args(self, name: str) -> list[str]:
        return [*self.query.get(name, []), *self.form.get(name, [])]

    def int_arg(self, name: str, default: int) -> int | None:
        """The parameter as an int, `default` when absent, None when not a number."""
        value = self.arg(name)
        if value == "":
            return default
        try:
            return int(value)
        except ValueError:
            return None

    def bearer(self) -> str:
        header = self.header("Authorization")
        scheme, _, token = header.partition(" ")
        if scheme.lower() in ("bearer", "oauth") and token.strip():
            return token.strip()
        return self.arg("access_token")

    def url(self, path: str, params: Mapping[str, Any]) -> str:
        return f"{self.base}{path}?{urlencode(params, doseq=True)}"


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-able; None for an empty body
    headers: dict[str, str] = field(default_factory=dict)


def ok(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status, body, dict(headers or {}))


def route(path: str, endpoint: Endpoint, methods: Iterable[str] | None = None) -> Rule:
    """A rule whose endpoint is the function that answers it (any method when `methods` is None)."""
    return Rule(path, endpoint=endpoint, methods=list(methods) if methods else None)


def no_guard(store: Store, request: Request) -> Response | None:
    """For platforms whose every route checks its own credentials."""
    return None
