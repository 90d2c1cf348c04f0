"""Bluesky OAuth: the AT Protocol's OAuth profile (`api-specs/bluesky/specs/oauth.en.mdx`).

The steps (plain Python; `moderation/connecting_bluesky.py` is the Django side):

1. **Who and where** (`atproto_identity.py`): the handle's DID, the DID's PDS, the PDS's
   authorisation server and its metadata, every address checked by `hosts.py`.
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
import secrets
import time
from base64 import urlsafe_b64encode
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import ECKey

from moderation.connectors.atproto_identity import (
    AuthorizationServer,
    json_object,
    oauth_error,
    origin_of,
)
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.parsing import clean_text

SCOPE = "atproto transition:generic"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
NONCE_ERROR = "use_dpop_nonce"


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
            "client_uri": origin_of(self.client_id),  # same host as client_id, as required
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
        nonce = self.nonces.get(origin_of(url))
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
            self.nonces[origin_of(response.url)] = nonce
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
            return error_parser(response) if error_parser is not None else oauth_error(response)

        for attempt in (1, 2):
            headers = {
                **(kwargs.pop("headers", None) or {}),
                "DPoP": self.proof(method, url, access_token),
            }
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
    answer = json_object(dpop.request(http, "POST", server.par_endpoint, data=form))
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
    body = json_object(response)
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
