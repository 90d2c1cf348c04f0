"""Connecting Bluesky with OAuth: the Django side of `connectors/atproto_oauth.py`.

Offered when the deployment's `PUBLIC_URL` is set (the authorisation server fetches the client
metadata document from there); an app password stays the fallback (`connecting.py`).

1. **Start** (a POST with the account's handle): the handle is resolved to its DID, PDS and
   authorisation server, a pushed authorisation request is made, and what the callback needs
   (the PKCE verifier, the session's DPoP key, encrypted, the DID, the servers) is kept in the
   admin's own session, keyed by the `state`.
2. **Callback**: the `state` must be one this session started, unused; `iss` must be the
   authorisation server the request went to (RFC 9207); the code is exchanged and the tokens'
   `sub` must be the DID resolved at the start. The result is one `Account` whose credentials
   are the OAuth session (`bluesky_oauth_session.session_credentials`), stored by an audited
   action in the view.

These platform calls run in the admin's request, outside any transaction, as the other
connections' do (see `connecting.py`).
"""

from __future__ import annotations

import datetime as dt
import json
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from moderation.bluesky_client import ClientNotSetUp, console_client
from moderation.connecting import ConnectionRefused, keep_sign_ins, started_sign_ins
from moderation.connectors.accounts import Account
from moderation.connectors.atproto_identity import (
    AuthorizationServer,
    Network,
    find_authorization_server,
    resolve_identity,
)
from moderation.connectors.atproto_oauth import (
    ConsoleClient,
    DpopSession,
    exchange_code,
    push_authorization,
)
from moderation.connectors.bluesky_oauth_session import session_credentials
from moderation.connectors.errors import ConnectorError
from moderation.connectors.hosts import public_address_session
from moderation.connectors.http import HttpClient
from moderation.credentials import decrypt_credentials, encrypt_credentials
from moderation.models import Channel

SESSION_KEY = "bluesky_oauth_started"
# A public client's session ends two weeks after signing in, however often it is renewed.
PUBLIC_CLIENT_SESSION = dt.timedelta(days=14)


def _client() -> ConsoleClient:
    try:
        return console_client()
    except ClientNotSetUp as error:
        raise ConnectionRefused(str(error)) from None


def _network() -> Network:
    return Network(emulator=settings.PLATFORM_BASE_URL)


def _http() -> HttpClient:
    # Every address comes from what an admin typed or a server answered: connect only to the
    # public addresses checked at connection time, unless the emulator is the whole network.
    emulated = bool(settings.PLATFORM_BASE_URL)
    return HttpClient(session=None if emulated else public_address_session(), max_retries=1)


# --- 1. Start -----------------------------------------------------------------------------------


def start(request: HttpRequest, handle: str, channel: Channel | None = None) -> str:
    """The authorisation server's page to send the admin to; what the callback needs is kept."""
    client = _client()
    typed = (channel.account_id if channel is not None and not handle else handle).strip()
    if not typed:
        raise ConnectionRefused("Enter the account's handle, e.g. examplecouncil.bsky.social.")
    try:
        with _http() as http:
            identity = resolve_identity(http, _network(), typed)
            if channel is not None and identity.did != channel.account_id:
                raise ConnectionRefused(f"{typed} is not {channel.shown_name}'s account.")
            server = find_authorization_server(http, _network(), identity.pds)
            started = push_authorization(http, client, server, typed)
    except ConnectorError as error:
        raise ConnectionRefused(str(error)) from None
    entries = started_sign_ins(request, SESSION_KEY)
    entries[started.state] = {
        "did": identity.did,
        "handle": identity.handle,
        "pds": identity.pds,
        "server": [
            server.issuer,
            server.authorization_endpoint,
            server.token_endpoint,
            server.par_endpoint,
        ],
        "secret": encrypt_credentials(
            {
                "verifier": started.code_verifier,
                "dpop_key": started.dpop.dump(),
                "nonces": json.dumps(started.dpop.nonces),
            }
        ),
        "channel": channel.pk if channel is not None else None,
        "at": time.time(),
    }
    keep_sign_ins(request, entries, SESSION_KEY)
    return started.url


# --- 2. Callback --------------------------------------------------------------------------------


def finish(request: HttpRequest) -> tuple[Account, int | None]:
    """The signed-in account (its OAuth session as credentials) and the channel to reconnect."""
    state = request.GET.get("state", "")
    entries = started_sign_ins(request, SESSION_KEY)
    entry = entries.pop(state, None) if state else None
    keep_sign_ins(request, entries, SESSION_KEY)  # a state is good for one callback only
    if entry is None:
        raise ConnectionRefused(
            "This sign-in was not started from this console session, or has expired. Start "
            "again from Settings → Channels → Connect."
        )
    server = AuthorizationServer(*entry["server"])
    if request.GET.get("iss") != server.issuer:
        raise ConnectionRefused("The answer did not come from the server the sign-in went to.")
    if request.GET.get("error"):
        reason = request.GET.get("error_description") or request.GET.get("error")
        raise ConnectionRefused(f"Bluesky did not grant access: {str(reason)[:200]}")
    code = request.GET.get("code", "")
    if not code:
        raise ConnectionRefused("Bluesky sent no authorisation code back.")
    secret = decrypt_credentials(entry["secret"])
    dpop = DpopSession.load(secret["dpop_key"], json.loads(secret.get("nonces") or "{}"))
    client = _client()
    try:
        with _http() as http:
            tokens = exchange_code(
                http, client, server, dpop, code, secret["verifier"], entry["did"]
            )
    except ConnectorError as error:
        raise ConnectionRefused(str(error)) from None
    refresh_ends = None if client.signing_key else timezone.now() + PUBLIC_CLIENT_SESSION
    emulated = bool(settings.PLATFORM_BASE_URL) and entry["pds"].startswith(
        settings.PLATFORM_BASE_URL
    )
    account = Account(
        platform="bluesky",
        account_id=entry["did"],
        name=entry["handle"],
        credentials=session_credentials(tokens, dpop, server, client.client_id),
        access_expires_at=dt.datetime.fromtimestamp(tokens.expires_at, dt.UTC),
        refresh_expires_at=refresh_ends,
        base_url="" if emulated else entry["pds"],
    )
    return account, entry.get("channel")
