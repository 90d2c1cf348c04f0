"""Bluesky OAuth: the AT Protocol's OAuth profile (`api-specs/bluesky/specs/oauth.en.mdx`).

The steps, each a function here (plain Python; `moderation/connecting.py` is the Django side):

1. **Who and where** (`resolve_identity`, `find_authorization_server`): the handle the admin
   typed becomes a DID (`https://<handle>/.well-known/atproto-did`, else `resolveHandle` at
   bsky.social for handles published only in DNS), the DID a DID document (`plc.directory`, or
   `did:web`'s `/.well-known/did.json`) that must claim the handle back, the document names the
   PDS, the PDS names its authorisation server (`/.well-known/oauth-protected-resource`), and
   that server's metadata (`/.well-known/oauth-authorization-server`, RFC 8414, checked with
   Authlib and against the profile's requirements) must name itself as the issuer. Every one of
   these addresses comes from user input or a server's answer, so each must pass
   `hosts.check_api_address` (public `https` hosts only, unless under the emulator's address)
   and is fetched through a session that checks the address it connects to.
2. **Pushed authorisation request** (`push_authorization`): PKCE S256, a random `state`, scopes
   `atproto transition:generic`, `login_hint` the handle, a new ES256 DPoP key for the session,
   and for a confidential client a `private_key_jwt` client assertion; the browser is then sent
   to the authorisation endpoint with only `client_id` and the `request_uri`.
3. **Tokens** (`exchange_code`, `refresh_tokens`): the code with its PKCE verifier, DPoP proof
   and client assertion; the answer must be DPoP-bound, grant `atproto`, and name in `sub` the
   DID resolved in step 1. Refresh tokens are single-use: the new pair replaces the old.

DPoP (RFC 9449): every request to the authorisation server and the PDS carries a fresh proof
signed with the session's key (`jti`, `htm`, `htu`, `iat`, the server's `nonce`, and for the PDS
`ath`, the access token's hash). Servers hand out nonces in `DPoP-Nonce`; a request refused with
`use_dpop_nonce` is sent once more with the new nonce.

The console is a confidential client when it has a signing key (see docs/connectors.md: its
sessions may then last as long as it keeps renewing them, where a public client's end after two
weeks) and a public client without one.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from base64 import urlsafe_b64encode
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from joserfc import jwt
from joserfc.jwk import ECKey

from moderation.connectors.base import ConnectorError, PermanentError
from moderation.connectors.hosts import AddressRefused, check_api_address
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.parsing import clean_text

SCOPE = "atproto transition:generic"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
PLC_DIRECTORY = "https://plc.directory"
HANDLE_RESOLVER = "https://bsky.social"
NONCE_ERROR = "use_dpop_nonce"
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
MAX_DOCUMENT_BYTES = 64_000


@dataclass(frozen=True)
class Network:
    """Where identities are resolved: the real network, or the emulator under its address."""

    emulator: str = ""  # the deployment's PLATFORM_BASE_URL; "" for the real network

    def check(self, url: str) -> str:
        """``url`` if Bluesky calls may go there (hosts.py), else a PermanentError."""
        try:
            check_api_address("bluesky", _origin_of(url), emulator_base=self.emulator)
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


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: float  # seconds since the epoch
    did: str
    scope: str


@dataclass(frozen=True)
class ConsoleClient:
    """The console as an OAuth client: its `client_id` (the URL of its metadata document),
    redirect URI and, for a confidential client, its ES256 signing key (with a `kid`)."""

    client_id: str
    redirect_uri: str
    signing_key: ECKey | None = None
    name: str = "smpolicy (council moderation)"

    @property
    def jwks_uri(self) -> str:
        return self.client_id.rsplit("/", 1)[0] + "/jwks.json"

    def metadata(self) -> dict[str, Any]:
        """The client metadata document served at `client_id`."""
        document: dict[str, Any] = {
            "client_id": self.client_id,
            "client_name": self.name,
            "client_uri": self.client_id.split("/", 3)[0] + "//" + urlsplit(self.client_id).netloc,
            "application_type": "web",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "redirect_uris": [self.redirect_uri],
            "scope": SCOPE,
            "dpop_bound_access_tokens": True,
            "token_endpoint_auth_method": "none",
        }
        if self.signing_key is not None:
            document["token_endpoint_auth_method"] = "private_key_jwt"
            document["token_endpoint_auth_signing_alg"] = "ES256"
            document["jwks_uri"] = self.jwks_uri
        return document

    def jwks(self) -> dict[str, Any]:
        keys = [] if self.signing_key is None else [_public_jwk(self.signing_key)]
        return {"keys": keys}

    def authentication(self, issuer: str) -> dict[str, str]:
        """The form fields that authenticate the client to ``issuer`` (RFC 7523)."""
        fields = {"client_id": self.client_id}
        if self.signing_key is not None:
            now = int(time.time())
            claims = {
                "iss": self.client_id,
                "sub": self.client_id,
                "aud": issuer,
                "jti": secrets.token_urlsafe(16),
                "iat": now,
                "exp": now + 60,
            }
            header = {"alg": "ES256", "kid": str(self.signing_key.kid)}
            fields["client_assertion_type"] = ASSERTION_TYPE
            fields["client_assertion"] = jwt.encode(header, claims, self.signing_key)
        return fields


# --- DPoP ---------------------------------------------------------------------------------------


@dataclass
class DpopSession:
    """A session's DPoP key and the nonces the servers last gave it, by origin."""

    key: ECKey
    nonces: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls) -> DpopSession:
        return cls(ECKey.generate_key("P-256", private=True))

    @classmethod
    def load(cls, stored: str, nonces: Mapping[str, str] | None = None) -> DpopSession:
        return cls(ECKey.import_key(json.loads(stored)), dict(nonces or {}))

    def dump(self) -> str:
        return json.dumps(self.key.as_dict(private=True))

    def proof(self, method: str, url: str, access_token: str = "") -> str:
        parts = urlsplit(url)
        claims: dict[str, Any] = {
            "jti": secrets.token_urlsafe(16),
            "htm": method.upper(),
            "htu": f"{parts.scheme}://{parts.netloc}{parts.path}",  # no query or fragment
            "iat": int(time.time()),
        }
        nonce = self.nonces.get(_origin_of(url))
        if nonce:
            claims["nonce"] = nonce
        if access_token:
            claims["ath"] = access_token_hash(access_token)
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": _public_jwk(self.key)}
        return jwt.encode(header, claims, self.key)

    def note_nonce(self, response: HttpResponse) -> bool:
        """Keep the server's nonce; True when it asked for a retry with it."""
        nonce = response.headers.get("DPoP-Nonce", "")
        if nonce:
            self.nonces[_origin_of(response.url)] = nonce
        if response.ok:
            return False
        body = response.json_or_none()
        said = body.get("error") if isinstance(body, dict) else ""
        challenge = response.headers.get("WWW-Authenticate", "")
        return bool(nonce) and (said == NONCE_ERROR or NONCE_ERROR in challenge)

    def request(
        self,
        http: HttpClient,
        method: str,
        url: str,
        *,
        access_token: str = "",
        error_parser: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        """One request with a DPoP proof; sent once more if the server wants a newer nonce."""
        retry: list[bool] = []

        def parse(response: HttpResponse) -> PlatformError | None:
            if self.note_nonce(response):
                retry.append(True)
                return PlatformError("Bluesky asked for a new DPoP nonce", code=NONCE_ERROR)
            return error_parser(response) if error_parser is not None else _oauth_error(response)

        for attempt in (1, 2):
            headers = {**kwargs.pop("headers", {}), "DPoP": self.proof(method, url, access_token)}
            if access_token:
                headers["Authorization"] = f"DPoP {access_token}"
            try:
                return http.request(
                    method, url, headers=headers, error_parser=parse, idempotent=False, **kwargs
                )
            except PermanentError as error:
                if error.code != NONCE_ERROR or attempt == 2:
                    raise
            kwargs["headers"] = {}
        raise AssertionError("unreachable")  # pragma: no cover


def access_token_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode("ascii")).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


# --- 1. Who and where ---------------------------------------------------------------------------


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
        error_parser=_oauth_error,
    )
    resolved = _json_object(answer).get("did")
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
    document = _json_object(http.request("GET", url, error_parser=_oauth_error))
    if document.get("id") != did:
        raise PermanentError(f"Bluesky: the DID document is not {did}'s", code="did")
    return document


def find_authorization_server(http: HttpClient, network: Network, pds: str) -> AuthorizationServer:
    """The PDS's authorisation server, from the two metadata documents, checked."""
    resource = _json_object(
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
    data = _json_object(http.request("GET", f"{issuer}/.well-known/oauth-authorization-server"))
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


# --- 2. The pushed authorisation request ---------------------------------------------------------


@dataclass(frozen=True)
class StartedAuthorization:
    url: str  # where to send the browser
    state: str
    code_verifier: str
    dpop: DpopSession


def push_authorization(
    http: HttpClient,
    client: ConsoleClient,
    server: AuthorizationServer,
    login_hint: str,
) -> StartedAuthorization:
    state = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    dpop = DpopSession.new()
    form = {
        "response_type": "code",
        "redirect_uri": client.redirect_uri,
        "scope": SCOPE,
        "state": state,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
        "login_hint": login_hint,
        **client.authentication(server.issuer),
    }
    answer = _json_object(dpop.request(http, "POST", server.par_endpoint, data=form))
    request_uri = answer.get("request_uri")
    if not isinstance(request_uri, str) or not request_uri:
        raise PermanentError("Bluesky: the PAR answer has no request_uri", code="par")
    query = urlencode({"client_id": client.client_id, "request_uri": request_uri})
    return StartedAuthorization(f"{server.authorization_endpoint}?{query}", state, verifier, dpop)


# --- 3. Tokens ------------------------------------------------------------------------------------


def exchange_code(
    http: HttpClient,
    client: ConsoleClient,
    server: AuthorizationServer,
    dpop: DpopSession,
    code: str,
    code_verifier: str,
    expected_did: str,
) -> Tokens:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": code_verifier,
        **client.authentication(server.issuer),
    }
    return _tokens(dpop.request(http, "POST", server.token_endpoint, data=form), expected_did)


def refresh_tokens(
    http: HttpClient,
    client_fields: Mapping[str, str],
    token_endpoint: str,
    dpop: DpopSession,
    refresh_token: str,
    expected_did: str,
) -> Tokens:
    """New tokens for a session (``client_fields``: `ConsoleClient.authentication`)."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, **client_fields}
    return _tokens(dpop.request(http, "POST", token_endpoint, data=form), expected_did)


def _tokens(response: HttpResponse, expected_did: str) -> Tokens:
    body = _json_object(response)
    if str(body.get("token_type", "")).lower() != "dpop":
        raise PermanentError("Bluesky: the tokens are not DPoP-bound", code="token_type")
    scope = str(body.get("scope") or "")
    if "atproto" not in scope.split():
        raise PermanentError("Bluesky: the grant does not include atproto", code="scope")
    if body.get("sub") != expected_did:
        raise PermanentError(
            f"Bluesky: the server authorised {clean_text(str(body.get('sub')))[:100]}, not "
            f"{expected_did}",
            code="sub",
        )
    access, refresh = body.get("access_token"), body.get("refresh_token")
    if not isinstance(access, str) or not access or not isinstance(refresh, str):
        raise PermanentError("Bluesky: the token answer lacks tokens", code="tokens")
    lifetime = body.get("expires_in")
    seconds = float(lifetime) if isinstance(lifetime, int | float) and lifetime > 0 else 300.0
    return Tokens(access, refresh, time.time() + seconds, expected_did, scope)


# --- helpers ------------------------------------------------------------------------------------


def _public_jwk(key: ECKey) -> dict[str, Any]:
    public = dict(key.as_dict(private=False))
    if key.kid:
        public["kid"] = key.kid
    return public


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _json_object(response: HttpResponse) -> dict[str, Any]:
    if len(response.content) > MAX_DOCUMENT_BYTES:
        raise PermanentError("Bluesky: an answer was too large", code="too_large")
    body = response.json()
    if not isinstance(body, dict):
        raise PermanentError("Bluesky: an answer was not a JSON object", code="not_object")
    return body


def _oauth_error(response: HttpResponse) -> PlatformError | None:
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
