"""A DID document or a server's metadata is written by whoever controls it: the PDS, the
authorisation server and its endpoints they name must still be public https hosts, the metadata
must name its own issuer, and the DID document must claim the handle back."""

from __future__ import annotations

import json

import pytest

from moderation.connectors.atproto_identity import (
    Network,
    find_authorization_server,
    resolve_identity,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient, HttpResponse

DID = "did:plc:exampleshirecouncilbskyz"
PDS = "https://pds.example.com"
ISSUER = "https://auth.example.com"


class CannedHttp(HttpClient):
    """Answers each URL with a JSON document; anything else fails the test."""

    def __init__(self, documents):
        self.documents = documents
        self.fetched = []

    def request(self, method, url, *, params=None, **kwargs):
        self.fetched.append(url)
        if url not in self.documents:
            raise AssertionError(f"fetched {url}")
        body = self.documents[url]
        content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        return HttpResponse(200, {}, content, url)


def _did_document(pds=PDS, handle="council.example.com"):
    return {
        "id": DID,
        "alsoKnownAs": [f"at://{handle}"],
        "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}
        ],
    }


def _metadata(**changes):
    return {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/oauth/authorize",
        "token_endpoint": f"{ISSUER}/oauth/token",
        "pushed_authorization_request_endpoint": f"{ISSUER}/oauth/par",
        "require_pushed_authorization_requests": True,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "dpop_signing_alg_values_supported": ["ES256"],
        "scopes_supported": ["atproto", "transition:generic"],
        **changes,
    }


def _servers(metadata, resource=None):
    return CannedHttp(
        {
            f"{PDS}/.well-known/oauth-protected-resource": resource
            or {"authorization_servers": [ISSUER]},
            f"{ISSUER}/.well-known/oauth-authorization-server": metadata,
        }
    )


@pytest.mark.parametrize("pds", ["https://10.0.0.7", "http://pds.example.com", "https://localhost"])
def test_a_did_document_naming_a_private_pds_is_refused(pds):
    http = CannedHttp(
        {
            "https://council.example.com/.well-known/atproto-did": DID,
            f"https://plc.directory/{DID}": _did_document(pds=pds),
        }
    )
    with pytest.raises(PermanentError, match="refused"):
        resolve_identity(http, Network(), "council.example.com")


def test_a_did_document_that_does_not_claim_the_handle_is_refused():
    http = CannedHttp(
        {
            "https://council.example.com/.well-known/atproto-did": DID,
            f"https://plc.directory/{DID}": _did_document(handle="someone.else.com"),
        }
    )
    with pytest.raises(PermanentError, match="does not claim"):
        resolve_identity(http, Network(), "council.example.com")


def test_a_good_identity_resolves_to_its_pds():
    http = CannedHttp(
        {
            "https://council.example.com/.well-known/atproto-did": DID,
            f"https://plc.directory/{DID}": _did_document(),
        }
    )
    identity = resolve_identity(http, Network(), "council.example.com")
    assert (identity.did, identity.pds) == (DID, PDS)
    assert find_authorization_server(_servers(_metadata()), Network(), PDS).issuer == ISSUER


@pytest.mark.parametrize(
    "metadata, resource",
    [
        (_metadata(token_endpoint="https://169.254.169.254/token"), None),
        (_metadata(pushed_authorization_request_endpoint="http://auth.example.com/par"), None),
        (_metadata(issuer="https://other.example.com"), None),
        (_metadata(require_pushed_authorization_requests=False), None),
        (_metadata(code_challenge_methods_supported=["plain"]), None),
        (_metadata(), {"authorization_servers": ["https://127.0.0.1"]}),
        (_metadata(), {"authorization_servers": [ISSUER, "https://two.example.com"]}),
        (_metadata(), {"authorization_servers": ["https://auth.example.com/path"]}),
    ],
)
def test_server_metadata_that_breaks_the_profile_is_refused(metadata, resource):
    with pytest.raises(PermanentError):
        find_authorization_server(_servers(metadata, resource), Network(), PDS)
