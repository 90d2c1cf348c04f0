"""The emulator as a WSGI application: werkzeug routes per platform, and the control API.

`/<platform>/…` answers as that platform's API. A request goes through, in order: a fault the
test asked for; an expired token (the platform's own expired-token error); the platform's OAuth
endpoints (`authorization*.py`); the platform's `OPEN_ROUTES`; its `guard` (a token, a version
header); its `ROUTES`; and otherwise the platform's own "not found" answer. `/_control/…` is
answered by `control.py`.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request as WerkzeugRequest
from werkzeug.wrappers import Response as WerkzeugResponse

import moderation.emulator.authorization as authorization
import moderation.emulator.authorization_meta as authorization_meta
import moderation.emulator.bluesky as bluesky
import moderation.emulator.control as control
import moderation.emulator.facebook as facebook
import moderation.emulator.instagram as instagram
import moderation.emulator.linkedin as linkedin
import moderation.emulator.mastodon as mastodon
import moderation.emulator.threads as threads
import moderation.emulator.tiktok as tiktok
import moderation.emulator.x as x
import moderation.emulator.youtube as youtube
from moderation.emulator.http import Request, Response
from moderation.emulator.store import Store

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from moderation.emulator.server import Emulator

log = logging.getLogger(__name__)

PLATFORM_APIS: Mapping[str, ModuleType] = {
    "facebook": facebook,
    "instagram": instagram,
    "youtube": youtube,
    "x": x,
    "linkedin": linkedin,
    "threads": threads,
    "tiktok": tiktok,
    "mastodon": mastodon,
    "bluesky": bluesky,
}
OAUTH_ROUTES = {**authorization.ROUTES, **authorization_meta.ROUTES}
MAX_BODY_BYTES = 20_000_000


def route_map(rules: Iterable[Rule]) -> Map:
    # Paths are matched as sent (percent-encoded), with or without a trailing slash, never
    # redirected: the platforms answer, they do not tidy URLs.
    return Map([rule.empty() for rule in rules], strict_slashes=False, merge_slashes=False)


def answer(store: Store, routes: Map, request: Request, raw_path: str) -> Response | None:
    """The response of the rule matching the request; None when no rule matches."""
    try:
        endpoint, values = routes.bind("emulator").match(raw_path, request.method)
    except HTTPException:  # NotFound, MethodNotAllowed
        return None
    arguments = {name: unquote(v) for name, v in values.items() if not name.startswith("_")}
    answered: Response | None = endpoint(store, request, **arguments)
    return answered


@dataclass(frozen=True)
class PlatformRoutes:
    api: ModuleType
    connecting: Map  # the OAuth endpoints
    open: Map  # answered without the guard
    guarded: Map


PLATFORMS = {
    name: PlatformRoutes(
        api,
        route_map(OAUTH_ROUTES.get(name, [])),
        route_map(api.OPEN_ROUTES),
        route_map(api.ROUTES),
    )
    for name, api in PLATFORM_APIS.items()
}


class EmulatorApp:
    """The WSGI callable the emulator's HTTP server runs."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.store = emulator.store

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = WerkzeugRequest(environ)
        try:
            response = self.respond(request)
        except Exception:  # an emulator bug must show up as a 500, not a dropped connection
            log.error("emulator error:\n%s", traceback.format_exc())
            response = Response(500, {"error": "emulator error", "trace": traceback.format_exc()})
        return to_werkzeug(response)(environ, start_response)

    def respond(self, incoming: WerkzeugRequest) -> Response:
        if (incoming.content_length or 0) > MAX_BODY_BYTES:
            return Response(413, {"error": "body too large"})
        raw = incoming.get_data(cache=False)
        raw_path = urlsplit(incoming.environ.get("REQUEST_URI", "")).path or quote(incoming.path)
        if raw_path.startswith("/_control/"):
            return control.handle(self.emulator, incoming.method, raw_path, incoming.args, raw)
        segments = [unquote(s) for s in raw_path.split("/") if s]
        if not segments or segments[0] not in PLATFORMS:
            return Response(404, {"error": f"no platform at {raw_path}"})
        platform = segments[0]
        routes = PLATFORMS[platform]
        api = routes.api
        sub_path = raw_path[len(platform) + 1 :] or "/"
        fault = self.store.take_fault(platform, incoming.method, sub_path)
        if fault is not None:
            if fault.kind == "hang":
                self.store.wake.wait(fault.hang_seconds)  # the client times out meanwhile
                return Response(504, {"error": "hung"})
            faulted: Response = api.fault(fault.kind, fault.retry_after)
            return faulted
        request = _request(incoming, platform, sub_path, segments[1:], raw)
        if isinstance(request, Response):
            return request
        token = request.bearer() or request.header("Access-Token")
        if token and (self.store.is_expired(token) or authorization.is_expired(self.store, token)):
            # A token the test expired, or one past its lifetime on the emulator's clock:
            # refused as the platform refuses an expired one.
            expired: Response = api.fault("expired_token", 0)
            return expired
        for stage in (routes.connecting, routes.open):
            answered = answer(self.store, stage, request, sub_path)
            if answered is not None:
                return answered
        guard: Callable[[Store, Request], Response | None] = api.guard
        refused = guard(self.store, request)
        if refused is not None:
            return refused
        answered = answer(self.store, routes.guarded, request, sub_path)
        if answered is not None:
            return answered
        not_found: Response = api.not_found(request)
        return not_found


def _request(
    incoming: WerkzeugRequest, platform: str, sub_path: str, segments: list[str], raw: bytes
) -> Request | Response:
    form: dict[str, list[str]] = {}
    body: Any = None
    if raw and "json" in (incoming.content_type or ""):
        try:
            body = json.loads(raw)
        except ValueError:
            return Response(400, {"error": "malformed JSON body"})
    elif raw:
        form = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    return Request(
        method=incoming.method,
        platform=platform,
        path=sub_path,
        segments=segments,
        query={name: incoming.args.getlist(name) for name in incoming.args},
        form=form,
        body=body,
        headers={name.lower(): value for name, value in incoming.headers.items()},
        base=f"http://{incoming.host or 'localhost'}/{platform}",
    )


def to_werkzeug(response: Response) -> WerkzeugResponse:
    if isinstance(response.body, str):  # a page for a person (the OAuth consent page)
        payload = response.body.encode()
    else:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
    out = WerkzeugResponse(payload, status=response.status)
    if payload:
        out.headers["Content-Type"] = "application/json; charset=utf-8"
    else:
        del out.headers["Content-Type"]
    for name, value in response.headers.items():
        out.headers[name] = value
    return out
