"""Bluesky OAuth, end to end against the emulator: handle → DID → PDS → authorisation server,
PAR with PKCE S256 and a DPoP proof, the person's approval, the code exchanged for DPoP-bound
tokens naming the expected DID, then the channel's calls to the PDS with those tokens, renewed
when they end. The emulator checks every proof, nonce, assertion and verifier (bluesky_oauth.py).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from moderation.connectors.atproto_identity import (
    Network,
    find_authorization_server,
    resolve_identity,
)
from moderation.connectors.atproto_oauth import SCOPE, exchange_code, push_authorization
from moderation.connectors.base import ActionTarget
from moderation.connectors.bluesky import BlueskyConnector
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient
from tests.moderation.connectors.bluesky_oauth_kit import (
    DID,
    HANDLE,
    approve,
    console_serving,
    credentials_of,
    sign_in,
)


@pytest.fixture
def kit(make_kit):
    kit = make_kit("bluesky")
    kit.account_id = DID  # a well-formed did:plc, as OAuth checks
    kit.emulator.name_account("bluesky", DID, HANDLE, "Example Council")
    return kit


@pytest.mark.parametrize("confidential", [True, False], ids=["confidential", "public"])
def test_a_handle_signs_in_and_the_tokens_name_its_did(kit, confidential):
    with console_serving(confidential) as client:
        signed_in = sign_in(kit.emulator, client, kit.http)
    assert signed_in.identity.did == DID
    assert signed_in.identity.pds == kit.emulator.base_url("bluesky")
    assert signed_in.redirect["iss"] == signed_in.server.issuer
    assert signed_in.tokens.did == DID
    assert signed_in.tokens.scope == SCOPE


def test_the_pushed_request_is_sent_again_with_the_servers_nonce(kit, wire):
    http = kit.client(answered=wire)
    with console_serving() as client:
        sign_in(kit.emulator, client, http)
    pars = [(s, r) for s, r in wire.exchanges if s.url.endswith("/oauth/par")]
    assert [r.status for _, r in pars] == [400, 201]
    assert pars[0][1].json()["error"] == "use_dpop_nonce"
    assert pars[0][0].headers["DPoP"] != pars[1][0].headers["DPoP"]  # a fresh proof each time


def test_the_channel_reads_and_acts_with_dpop_bound_tokens(kit, wire):
    post = kit.post()
    comment = kit.comment(post, "Is the tip open on Sunday?")
    with console_serving() as client:
        credentials = credentials_of(sign_in(kit.emulator, client, kit.http), client)
    http = kit.client(answered=wire)
    connector = BlueskyConnector(kit.config(credentials), http)

    page = connector.fetch_comments(None)
    connector.perform("reply", ActionTarget(comment, "", post, text="Yes, 9 to 4."))

    assert [c.text for c in page.comments] == ["Is the tip open on Sunday?"]
    pds_calls = [s for s, _ in wire.exchanges if "/xrpc/" in s.url]
    assert pds_calls and all(s.headers["Authorization"].startswith("DPoP ") for s in pds_calls)
    assert kit.emulator.store.xrpc_calls.get("com.atproto.server.createSession", 0) == 0


def test_an_ended_access_token_is_renewed_with_the_client_assertion_and_stored(kit):
    kit.comment(kit.post(), "hello")
    stored: dict[str, str] = {}
    with console_serving() as client:
        credentials = credentials_of(sign_in(kit.emulator, client, kit.http), client)
        config = replace(
            kit.config(credentials),
            on_refresh=stored.update,
            client_authentication=client.authentication,
        )
        kit.emulator.advance_clock(16 * 60)  # past the 15-minute access token
        page = BlueskyConnector(config, kit.http).fetch_comments(None)
    assert [c.text for c in page.comments] == ["hello"]
    assert stored["access_token"] != credentials["access_token"]
    assert stored["refresh_token"] != credentials["refresh_token"]
    assert stored["dpop_key"] == credentials["dpop_key"]  # the session keeps its key


def test_a_confidential_session_cannot_be_renewed_without_the_consoles_key(kit):
    kit.comment(kit.post(), "hello")
    with console_serving() as client:
        credentials = credentials_of(sign_in(kit.emulator, client, kit.http), client)
        kit.emulator.advance_clock(16 * 60)
        with pytest.raises(PermanentError, match="reconnect"):
            BlueskyConnector(kit.config(credentials), kit.http).fetch_comments(None)


def test_tokens_for_another_account_are_refused(kit):
    kit.emulator.name_account("bluesky", "did:plc:someoneelsesomeoneelsezz", "other.example", "X")
    with console_serving() as client:
        network = Network(emulator=kit.emulator.url)
        server = find_authorization_server(kit.http, network, kit.emulator.base_url("bluesky"))
        started = push_authorization(kit.http, client, server, "other.example")
        code = approve(started)["code"]
        with pytest.raises(PermanentError, match="not did:plc:exampleshire"):
            exchange_code(kit.http, client, server, started.dpop, code, started.code_verifier, DID)


def test_a_handle_whose_did_does_not_claim_it_is_refused(kit):
    kit.emulator.name_account("bluesky", DID, "someone-else.example", "Example Council")
    network = Network(emulator=kit.emulator.url)
    with pytest.raises(PermanentError):
        resolve_identity(kit.http, network, HANDLE)


@pytest.mark.parametrize(
    "address",
    [
        "http://pds.example.com",
        "https://127.0.0.1",
        "https://169.254.169.254",
        "https://pds.internal",
        "https://user:pw@pds.example.com",
        "https://pds.example.com:8443",
    ],
)
def test_servers_named_by_user_input_must_be_public_https_hosts(address):
    with pytest.raises(PermanentError, match="refused"):
        Network().check(address + "/.well-known/oauth-protected-resource")


class NoNetwork(HttpClient):
    """An HTTP client that fails the test if anything is fetched."""

    def request(self, *args, **kwargs):
        raise AssertionError(f"fetched {args}")


@pytest.mark.parametrize(
    "typed",
    [
        "169.254.169.254",
        "localhost",
        "council.local",
        "metadata.internal",
        "evil.example/../../admin",
        "a..b.com",
        "x" * 300 + ".com",
        "did:plc:../../admin",
        "did:plc:UPPERCASEISNOTBASE32XXXXX",
        "did:key:z6Mk",
        "did:web:127.0.0.1:8080",
    ],
)
def test_what_is_not_a_handle_or_a_did_is_refused_before_any_request(typed):
    with pytest.raises(PermanentError):
        resolve_identity(NoNetwork(), Network(), typed)
