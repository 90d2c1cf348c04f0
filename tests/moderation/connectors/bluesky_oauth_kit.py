"""What the Bluesky OAuth tests share: a stand-in for the console serving its client metadata
document and JWKS over HTTP (the emulator fetches them as Bluesky does), and a signed-in flow."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from joserfc.jwk import ECKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from moderation.connectors.atproto_identity import (
    AuthorizationServer,
    Identity,
    Network,
    find_authorization_server,
    resolve_identity,
)
from moderation.connectors.atproto_oauth import (
    ConsoleClient,
    StartedAuthorization,
    Tokens,
    exchange_code,
    push_authorization,
)
from moderation.connectors.bluesky_oauth_session import session_credentials
from moderation.connectors.http import HttpClient
from moderation.emulator import Emulator

DID = "did:plc:exampleshirecouncilbskyz"
HANDLE = "council.example.org"


@contextmanager
def console_serving(confidential: bool = True) -> Iterator[ConsoleClient]:
    """A client whose metadata and JWKS are served on a local port, as the console serves them."""
    documents: dict[str, Any] = {}

    def app(environ: Any, start_response: Any) -> Any:
        path = Request(environ).path
        found = documents.get(path)
        response = Response(
            "" if found is None else json.dumps(found),
            status=200 if found is not None else 404,
            content_type="application/json",
        )
        return response(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    key = ECKey.generate_key("P-256", parameters={"kid": "console-1"}, private=True)
    client = ConsoleClient(
        client_id=f"{base}/oauth/bluesky/client-metadata.json",
        redirect_uri=f"{base}/settings/channels/connect/bluesky/callback/",
        signing_key=key if confidential else None,
    )
    documents["/oauth/bluesky/client-metadata.json"] = client.metadata()
    documents["/oauth/bluesky/jwks.json"] = client.jwks()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield client
    finally:
        server.shutdown()
        thread.join(timeout=5)


@dataclass
class SignedIn:
    identity: Identity
    server: AuthorizationServer
    started: StartedAuthorization
    tokens: Tokens
    redirect: dict[str, str]


def approve(started: StartedAuthorization, decision: str = "allow") -> dict[str, str]:
    """What the person does on the authorisation page; the parameters the redirect carries."""
    page = requests.get(started.url, timeout=5)
    assert page.status_code == 200, page.text
    query = dict(parse_qs(urlsplit(started.url).query))
    answer = requests.post(
        started.url.split("?")[0],
        data={
            "client_id": query["client_id"][0],
            "request_uri": query["request_uri"][0],
            "decision": decision,
        },
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}


def sign_in(
    emulator: Emulator, client: ConsoleClient, http: HttpClient, typed: str = HANDLE
) -> SignedIn:
    network = Network(emulator=emulator.url)
    identity = resolve_identity(http, network, typed)
    server = find_authorization_server(http, network, identity.pds)
    started = push_authorization(http, client, server, typed)
    redirect = approve(started)
    tokens = exchange_code(
        http, client, server, started.dpop, redirect["code"], started.code_verifier, identity.did
    )
    return SignedIn(identity, server, started, tokens, redirect)


def credentials_of(signed_in: SignedIn, client: ConsoleClient) -> dict[str, str]:
    return session_credentials(
        signed_in.tokens, signed_in.started.dpop, signed_in.server, client.client_id
    )
