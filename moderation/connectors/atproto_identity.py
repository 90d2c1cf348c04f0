"""Who a Bluesky account is and where it lives: handle → DID → DID document (which must claim
the handle) → PDS → its authorisation server and that server's metadata, checked against the
AT Protocol's OAuth profile (`api-specs/bluesky/specs/oauth.en.mdx`, "Identity Authentication"
and "Server Metadata"). Every address here comes from what an admin typed or a server answered,
so each must pass `hosts.check_api_address` (public `https` hosts only, unless under the
emulator's address); the caller fetches through a session that checks where it connects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from moderation.connectors.errors import ConnectorError, PermanentError
from moderation.connectors.hosts import AddressRefused, check_api_address
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.parsing import clean_text

MAX_DOCUMENT_BYTES = 64_000
PLC_DIRECTORY = "https://plc.directory"
HANDLE_RESOLVER = "https://bsky.social"
# The handle syntax of the AT Protocol's handle specification (a DNS name whose last label
# starts with a letter), and the DID methods it blesses.
HANDLE = re.compile(
    r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE
)
DID_PLC = re.compile(r"did:plc:[a-z2-7]{24}")
DID_WEB = re.compile(r"did:web:[a-z0-9.-]{1,253}", re.IGNORECASE)
# Names the handle specification reserves: never a public account's.
RESERVED_TLDS = (
    ".alt",
    ".arpa",
    ".example",
    ".internal",
    ".invalid",
    ".local",
    ".localhost",
    ".onion",
    ".test",
)


@dataclass(frozen=True)
class Network:
    """Where identities are resolved: the real network, or the emulator under its address."""

    emulator: str = ""  # the deployment's PLATFORM_BASE_URL; "" for the real network

    def check(self, url: str) -> str:
        """``url`` if Bluesky calls may go there (hosts.py), else a PermanentError."""
        try:
            check_api_address("bluesky", origin_of(url), emulator_base=self.emulator)
        except AddressRefused as refused:
            raise PermanentError(f"Bluesky: {url} was refused: {refused}", code="address") from None
        return url

    def plc_directory(self) -> str:
        return f"{self.emulator.rstrip('/')}/bluesky/plc" if self.emulator else PLC_DIRECTORY

    def handle_resolver(self) -> str:
        return f"{self.emulator.rstrip('/')}/bluesky" if self.emulator else HANDLE_RESOLVER

    def under_emulator(self, url: str) -> bool:
        base = self.emulator.rstrip("/")
        return bool(base) and (url == base or url.startswith(base + "/"))


@dataclass(frozen=True)
class Identity:
    did: str
    handle: str
    pds: str


@dataclass(frozen=True)
class AuthorizationServer:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    par_endpoint: str


def resolve_identity(http: HttpClient, network: Network, typed: str) -> Identity:
    """The account's DID, verified handle and PDS, from a handle (or a DID) the admin typed."""
    typed = typed.strip().lstrip("@").lower()
    if typed.startswith("did:"):
        if not (DID_PLC.fullmatch(typed) or DID_WEB.fullmatch(typed)):
            raise PermanentError(f"Bluesky: {typed[:100]} is not a did:plc or did:web", code="did")
        did, handle = typed, ""
    else:
        handle = typed
        if (
            len(handle) > 253
            or not HANDLE.fullmatch(handle)
            or (handle.endswith(RESERVED_TLDS) and not network.emulator)
        ):
            raise PermanentError(
                f"Bluesky: {handle[:100]!r} is not a handle (e.g. examplecouncil.bsky.social)",
                code="handle",
            )
        did = _did_of_handle(http, network, handle)
    document = _did_document(http, network, did)
    claimed = [
        str(name)[len("at://") :].lower()
        for name in document.get("alsoKnownAs", [])
        if str(name).startswith("at://")
    ]
    if handle and handle not in claimed:
        raise PermanentError(
            f"Bluesky: {did} does not claim the handle {handle}, so the handle is not verified",
            code="handle_unverified",
        )
    pds = next(
        (
            str(service.get("serviceEndpoint", ""))
            for service in document.get("service", [])
            if isinstance(service, dict)
            and str(service.get("id", "")).endswith("#atproto_pds")
            and service.get("type") == "AtprotoPersonalDataServer"
        ),
        "",
    )
    if not pds:
        raise PermanentError(f"Bluesky: {did} names no PDS", code="no_pds")
    return Identity(did, handle or (claimed[0] if claimed else did), network.check(pds.rstrip("/")))


def _did_of_handle(http: HttpClient, network: Network, handle: str) -> str:
    if not network.emulator:
        try:
            url = network.check(f"https://{handle}/.well-known/atproto-did")
            answer = http.request("GET", url, headers={"Accept": "text/plain"})
            did = answer.text.strip()
            if did.startswith("did:") and len(did) < 2048:
                return did
        except ConnectorError:
            pass  # not served over https (only in DNS, as an _atproto TXT record): ask a resolver
    answer = http.request(
        "GET",
        f"{network.handle_resolver()}/xrpc/com.atproto.identity.resolveHandle",
        params={"handle": handle},
        error_parser=oauth_error,
    )
    resolved = json_object(answer).get("did")
    if not isinstance(resolved, str) or not resolved.startswith("did:"):
        raise PermanentError(f"Bluesky: the handle {handle} was not found", code="no_handle")
    return resolved


def _did_document(http: HttpClient, network: Network, did: str) -> dict[str, Any]:
    if did.startswith("did:plc:"):
        url = f"{network.plc_directory()}/{did}"
    elif did.startswith("did:web:"):
        url = network.check(f"https://{did[len('did:web:') :]}/.well-known/did.json")
    else:
        raise PermanentError(f"Bluesky: {did} is not a DID the AT Protocol uses", code="did")
    document = json_object(http.request("GET", url, error_parser=oauth_error))
    if document.get("id") != did:
        raise PermanentError(f"Bluesky: the DID document is not {did}'s", code="did")
    return document


def find_authorization_server(http: HttpClient, network: Network, pds: str) -> AuthorizationServer:
    """The PDS's authorisation server, from the two metadata documents, checked."""
    resource = json_object(
        http.request("GET", f"{network.check(pds)}/.well-known/oauth-protected-resource")
    )
    servers = resource.get("authorization_servers")
    if not isinstance(servers, list) or len(servers) != 1 or not isinstance(servers[0], str):
        raise PermanentError("Bluesky: the PDS names no single authorisation server", code="as")
    issuer = network.check(servers[0].rstrip("/"))
    if not network.under_emulator(issuer):
        parts = urlsplit(issuer)
        if parts.path or parts.query or parts.fragment or parts.username:
            raise PermanentError("Bluesky: the authorisation server is not an origin", code="as")
    data = json_object(http.request("GET", f"{issuer}/.well-known/oauth-authorization-server"))
    if data.get("issuer") != issuer:
        raise PermanentError("Bluesky: the authorisation server names another issuer", code="as")
    metadata = AuthorizationServerMetadata(data)
    try:
        if not network.under_emulator(issuer):
            metadata.validate_issuer()  # https, no query or fragment
        metadata.validate_response_types_supported()
        metadata.validate_code_challenge_methods_supported()
    except ValueError as error:
        raise PermanentError(f"Bluesky: {error}", code="as") from None
    required = {
        "scopes_supported": "atproto",
        "code_challenge_methods_supported": "S256",
        "dpop_signing_alg_values_supported": "ES256",
        "grant_types_supported": "refresh_token",
    }
    for name, value in required.items():
        if value not in (data.get(name) or []):
            raise PermanentError(f"Bluesky: the server's {name} lacks {value}", code="as")
    if data.get("require_pushed_authorization_requests") is not True:
        raise PermanentError("Bluesky: the server does not require PAR", code="as")
    endpoints = {
        name: network.check(str(data.get(name) or ""))
        for name in (
            "authorization_endpoint",
            "token_endpoint",
            "pushed_authorization_request_endpoint",
        )
    }
    return AuthorizationServer(
        issuer,
        endpoints["authorization_endpoint"],
        endpoints["token_endpoint"],
        endpoints["pushed_authorization_request_endpoint"],
    )


# --- helpers ------------------------------------------------------------------------------------


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def json_object(response: HttpResponse) -> dict[str, Any]:
    if len(response.content) > MAX_DOCUMENT_BYTES:
        raise PermanentError("Bluesky: an answer was too large", code="too_large")
    body = response.json()
    if not isinstance(body, dict):
        raise PermanentError("Bluesky: an answer was not a JSON object", code="not_object")
    return body


def oauth_error(response: HttpResponse) -> PlatformError | None:
    if response.ok:
        return None
    body = response.json_or_none()
    name = str(body.get("error") or "") if isinstance(body, dict) else ""
    text = (
        str(body.get("error_description") or body.get("message") or "")
        if isinstance(body, dict)
        else ""
    )
    said = clean_text(": ".join(part for part in (name, text) if part))[:300]
    return PlatformError(f"Bluesky: {said or f'HTTP {response.status}'}", code=name)
