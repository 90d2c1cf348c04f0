"""Contract: Bluesky OAuth against the AT Protocol's own texts. The OAuth profile is prose
(`specs/oauth.en.mdx`), so its field lists are read from it: every field it marks required for
the client metadata document and the authorisation server's metadata must be in what the console
publishes and what the emulator answers. Handle resolution and the session's XRPC calls are
checked against their lexicons."""

from __future__ import annotations

import re

import pytest

from moderation.connectors.atproto_identity import Network, resolve_identity
from moderation.connectors.atproto_oauth import SCOPE
from moderation.connectors.bluesky import BlueskyConnector
from tests.moderation.connectors.bluesky_oauth_kit import (
    DID,
    HANDLE,
    console_serving,
    credentials_of,
    sign_in,
)
from tests.moderation.connectors.spec_contract import SPECS
from tests.moderation.connectors.spec_lexicons import Lexicons

PROFILE = (SPECS / "bluesky" / "specs" / "oauth.en.mdx").read_text(encoding="utf-8")
LEXICONS = Lexicons("bluesky/lexicons")


def _required(section: str) -> set[str]:
    """The fields a section of the profile lists as "(…, required)"."""
    start = PROFILE.index(section)
    end = PROFILE.index("\n#", start + len(section))
    return set(re.findall(r"^- `(\w+)` \([^)]*required\)", PROFILE[start:end], re.M))


@pytest.fixture
def kit(make_kit):
    kit = make_kit("bluesky")
    kit.account_id = DID  # a well-formed did:plc, as OAuth checks
    kit.emulator.name_account("bluesky", DID, HANDLE, "Example Council")
    return kit


def test_the_profile_text_still_lists_the_fields_read_here():
    assert {"client_id", "grant_types", "scope", "redirect_uris"} <= _required(
        "### Client ID Metadata Document"
    )
    assert {"issuer", "token_endpoint"} <= _required("### Server Metadata")


@pytest.mark.parametrize("confidential", [True, False], ids=["confidential", "public"])
def test_the_client_metadata_has_every_required_field(confidential):
    with console_serving(confidential) as client:
        document = client.metadata()
    assert _required("### Client ID Metadata Document") <= set(document)
    assert document["dpop_bound_access_tokens"] is True
    assert "atproto" in document["scope"].split() and document["scope"] == SCOPE
    assert {"authorization_code", "refresh_token"} <= set(document["grant_types"])
    if confidential:
        assert document["token_endpoint_auth_method"] == "private_key_jwt"
        assert document["token_endpoint_auth_signing_alg"] == "ES256"
        assert ("jwks" in document) != ("jwks_uri" in document)  # one, not both


def test_the_emulated_server_metadata_has_every_required_field(kit):
    base = kit.emulator.base_url("bluesky")
    metadata = kit.http.request("GET", f"{base}/.well-known/oauth-authorization-server").json()
    resource = kit.http.request("GET", f"{base}/.well-known/oauth-protected-resource").json()
    assert _required("### Server Metadata") <= set(metadata)
    assert metadata["require_pushed_authorization_requests"] is True
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert {"none", "private_key_jwt"} <= set(metadata["token_endpoint_auth_methods_supported"])
    assert "none" not in metadata["token_endpoint_auth_signing_alg_values_supported"]
    assert len(resource["authorization_servers"]) == 1


def test_handle_resolution_and_the_sessions_calls_match_their_lexicons(kit, wire):
    kit.comment(kit.post(), "Is the library open?")
    http = kit.client(answered=wire)
    resolve_identity(http, Network(emulator=kit.emulator.url), HANDLE)
    with console_serving() as client:
        credentials = credentials_of(sign_in(kit.emulator, client, kit.http), client)
    BlueskyConnector(kit.config(credentials), http).fetch_comments(None)

    prefix = kit.emulator.base_url("bluesky")
    xrpc = [(s, r) for s, r in wire.exchanges if "/xrpc/" in s.url]
    nsids = {s.url.split("?")[0].rsplit("/", 1)[-1] for s, _ in xrpc}
    assert {
        "com.atproto.identity.resolveHandle",
        "app.bsky.notification.listNotifications",
    } <= nsids
    problems = []
    for sent, answer in xrpc:
        problems += LEXICONS.check_request(sent, prefix)
        if answer.ok:
            problems += LEXICONS.check_output(
                sent.url.split("?")[0].rsplit("/", 1)[-1], answer.json()
            )
    assert problems == []
