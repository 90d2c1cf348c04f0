"""The emulated authorisation server and PDS refuse what the AT Protocol OAuth profile says they
must: a wrong PKCE verifier, a replayed DPoP proof, a spent refresh token, tokens used with
another DPoP key or without a proof, and a client assertion not signed by the client's key."""

from __future__ import annotations

import pytest
import requests
from joserfc.jwk import ECKey

from moderation.connectors.atproto_identity import Network, find_authorization_server
from moderation.connectors.atproto_oauth import (
    ConsoleClient,
    DpopSession,
    exchange_code,
    push_authorization,
    refresh_tokens,
)
from moderation.connectors.errors import PermanentError
from tests.moderation.connectors.bluesky_oauth_kit import (
    DID,
    HANDLE,
    approve,
    console_serving,
    sign_in,
)


@pytest.fixture
def kit(make_kit):
    kit = make_kit("bluesky")
    kit.account_id = DID  # a well-formed did:plc, as OAuth checks
    kit.emulator.name_account("bluesky", DID, HANDLE, "Example Council")
    return kit


def _started(kit, client):
    server = find_authorization_server(
        kit.http, Network(emulator=kit.emulator.url), kit.emulator.base_url("bluesky")
    )
    return server, push_authorization(kit.http, client, server, HANDLE)


def test_a_wrong_pkce_verifier_is_refused(kit):
    with console_serving() as client:
        server, started = _started(kit, client)
        code = approve(started)["code"]
        with pytest.raises(PermanentError, match="invalid_grant"):
            exchange_code(kit.http, client, server, started.dpop, code, "not-the-verifier", DID)


def test_the_code_must_be_redeemed_with_the_same_dpop_key(kit):
    with console_serving() as client:
        server, started = _started(kit, client)
        code = approve(started)["code"]
        other = DpopSession.new()
        other.nonces.update(started.dpop.nonces)
        with pytest.raises(PermanentError, match="DPoP key mismatch"):
            exchange_code(kit.http, client, server, other, code, started.code_verifier, DID)


def test_a_refresh_token_works_once(kit):
    with console_serving() as client:
        signed_in = sign_in(kit.emulator, client, kit.http)
        fields = client.authentication(signed_in.server.issuer)
        token = signed_in.tokens.refresh_token
        endpoint = signed_in.server.token_endpoint
        refresh_tokens(kit.http, fields, endpoint, signed_in.started.dpop, token, DID)
        again = client.authentication(signed_in.server.issuer)
        with pytest.raises(PermanentError, match="invalid_grant"):
            refresh_tokens(kit.http, again, endpoint, signed_in.started.dpop, token, DID)


def test_an_assertion_signed_with_another_key_is_refused(kit):
    with console_serving() as client:
        impostor = ConsoleClient(
            client.client_id,
            client.redirect_uri,
            ECKey.generate_key("P-256", parameters={"kid": "console-1"}, private=True),
        )
        with pytest.raises(PermanentError, match="invalid_client"):
            _started(kit, impostor)


def test_pds_calls_need_a_fresh_proof_bound_to_the_token(kit):
    with console_serving() as client:
        signed_in = sign_in(kit.emulator, client, kit.http)
    url = f"{kit.emulator.base_url('bluesky')}/xrpc/app.bsky.notification.listNotifications"
    token = signed_in.tokens.access_token
    dpop = signed_in.started.dpop

    unproven = requests.get(url, headers={"Authorization": f"DPoP {token}"}, timeout=5)
    first = dpop.request(kit.http, "GET", url, access_token=token)  # learns the PDS nonce
    proof = dpop.proof("GET", url, token)
    used = {"Authorization": f"DPoP {token}", "DPoP": proof}
    once = requests.get(url, headers=used, timeout=5)
    replayed = requests.get(url, headers=used, timeout=5)
    stranger = DpopSession.new()
    stranger.nonces.update(dpop.nonces)
    other_key = requests.get(
        url,
        headers={"Authorization": f"DPoP {token}", "DPoP": stranger.proof("GET", url, token)},
        timeout=5,
    )

    assert unproven.status_code == 401
    assert first.status == 200 and once.status_code == 200
    assert replayed.status_code == 401 and "jti" in replayed.json()["message"]
    assert other_key.status_code == 401
    assert other_key.headers["WWW-Authenticate"].startswith('DPoP error="invalid_token"')
