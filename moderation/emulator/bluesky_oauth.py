"""Emulated AT Protocol OAuth (`api-specs/bluesky/specs/oauth.en.mdx`): identity, metadata, PAR,
the authorisation page, the token endpoint, and DPoP-bound calls to the PDS.

Paths under `/bluesky`:
- `GET /xrpc/com.atproto.identity.resolveHandle?handle=` and `GET /plc/{did}` (a PLC directory's
  DID document: `alsoKnownAs` the handle, the `#atproto_pds` service at this emulator);
- `GET /.well-known/oauth-protected-resource` (the PDS names its authorisation server: itself)
  and `GET /.well-known/oauth-authorization-server` (RFC 8414 with the profile's fields);
- `POST /oauth/par`: fetches the client metadata document at `client_id` (as Bluesky does),
  checks the redirect URI and scopes against it, PKCE S256, `state`, the DPoP proof and, for a
  `private_key_jwt` client, the client assertion against the client's JWKS; answers 201 with a
  `request_uri`;
- `GET|POST /oauth/authorize?client_id&request_uri`: a consent page naming the full `client_id`,
  then a redirect to the `redirect_uri` with `code`, `state` and `iss`;
- `POST /oauth/token`: `authorization_code` (PKCE verifier, same DPoP key and client key as the
  PAR) and `refresh_token` (single use: the new pair replaces it); answers `token_type` DPoP,
  `scope` and `sub` (the DID).

Every request to the authorisation server and the PDS must carry a DPoP proof (ES256, a `jwk`
header, `htm`/`htu` matching the request, a fresh `iat`, a `jti` never seen before, the current
server nonce, and for the PDS `ath`). A missing or stale nonce is refused with `use_dpop_nonce`
(400 from the authorisation server, 401 with `WWW-Authenticate: DPoP` from the PDS) and the
nonce to use in `DPoP-Nonce`, as every answer carries. Nonces rotate every `NONCE_SECONDS` on the
emulator's clock (the previous one is still accepted). Access tokens live `ACCESS_SECONDS` on
that clock, refresh tokens `REFRESH_SECONDS` (a confidential client's maximum).
"""

from __future__ import annotations

import hashlib
import html
import secrets
import time
from base64 import urlsafe_b64encode
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from joserfc.jws import extract_compact

import moderation.emulator.authorization as authorization
from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.store import Store

PLATFORM = "bluesky"
NONCE_SECONDS = 180
ACCESS_SECONDS = 900
REFRESH_SECONDS = 180 * 86400
PROOF_MAX_AGE = 300
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"


@dataclass
class Session:
    did: str
    client_id: str
    client_kid: str  # "" for a public client
    jkt: str  # the DPoP key's thumbprint the tokens are bound to
    scope: str
    expires_at: float


@dataclass
class OAuthState:
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    previous_nonce: str = ""
    nonce_since: float = 0.0
    jtis: set[str] = field(default_factory=set)
    challenges: set[str] = field(default_factory=set)
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # request_uri -> PAR
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access: dict[str, Session] = field(default_factory=dict)
    refresh: dict[str, Session] = field(default_factory=dict)
    clients_fetched: list[str] = field(default_factory=list)


def state_of(store: Store) -> OAuthState:
    with store.lock:
        if not isinstance(store.bluesky_oauth, OAuthState):
            store.bluesky_oauth = OAuthState()
        return store.bluesky_oauth


def _now(store: Store) -> float:
    return authorization.world(store).now()


def current_nonce(store: Store) -> str:
    oauth, now = state_of(store), _now(store)
    with store.lock:
        if not oauth.nonce_since:
            oauth.nonce_since = now
        if now - oauth.nonce_since >= NONCE_SECONDS:
            oauth.previous_nonce, oauth.nonce = oauth.nonce, secrets.token_urlsafe(16)
            oauth.nonce_since = now
        return oauth.nonce


def _origin(request: Request) -> str:
    return request.base  # http://host:port/bluesky: the issuer and the PDS


def _error(status: int, error: str, description: str, store: Store) -> Response:
    return Response(
        status,
        {"error": error, "error_description": description},
        {"DPoP-Nonce": current_nonce(store), "Cache-Control": "no-store"},
    )


# --- Identity and metadata ------------------------------------------------------------------------


def _account_by(store: Store, *, handle: str = "", did: str = "") -> tuple[str, str] | None:
    with store.lock:
        for (platform, account_id), account in store.accounts.items():
            if platform == PLATFORM and (
                account.handle.lower() == handle.lower() or account_id == did
            ):
                return account_id, account.handle
    return None


def _resolve_handle(store: Store, request: Request) -> Response:
    found = _account_by(store, handle=request.arg("handle").lstrip("@"))
    if found is None:
        return Response(400, {"error": "InvalidRequest", "message": "Unable to resolve handle"})
    return ok({"did": found[0]})


def _did_document(store: Store, request: Request, did: str) -> Response:
    found = _account_by(store, did=did)
    if found is None:
        return Response(404, {"message": f"DID not registered: {did}"})
    return ok(
        {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": did,
            "alsoKnownAs": [f"at://{found[1]}"],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": _origin(request),
                }
            ],
        }
    )


def _protected_resource(store: Store, request: Request) -> Response:
    return ok(
        {
            "resource": _origin(request),
            "authorization_servers": [_origin(request)],
            "scopes_supported": [],
            "bearer_methods_supported": ["header"],
        }
    )


def _server_metadata(store: Store, request: Request) -> Response:
    issuer = _origin(request)
    return ok(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oauth/authorize",
            "token_endpoint": f"{issuer}/oauth/token",
            "pushed_authorization_request_endpoint": f"{issuer}/oauth/par",
            "require_pushed_authorization_requests": True,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
            "scopes_supported": ["atproto", "transition:generic", "transition:chat.bsky"],
            "authorization_response_iss_parameter_supported": True,
            "dpop_signing_alg_values_supported": ["ES256"],
            "client_id_metadata_document_supported": True,
            "require_request_uri_registration": True,
        }
    )


# --- DPoP ----------------------------------------------------------------------------------------


def check_proof(store: Store, request: Request, *, access_token: str = "") -> tuple[str, str]:
    """(jkt, "") for a good proof; (error, why) otherwise ("use_dpop_nonce" for the nonce)."""
    proof = request.header("DPoP")
    try:
        header = extract_compact(proof.encode()).protected
        if header.get("typ") != "dpop+jwt" or header.get("alg") != "ES256":
            return "invalid_dpop_proof", "typ must be dpop+jwt and alg ES256"
        key = ECKey.import_key(header["jwk"])
        if key.is_private:
            return "invalid_dpop_proof", "the jwk header holds a private key"
        claims = jwt.decode(proof, key, algorithms=["ES256"]).claims
    except (JoseError, KeyError, TypeError, ValueError):
        return "invalid_dpop_proof", "the DPoP proof is missing or not a valid ES256 JWT"
    url = _origin(request) + request.path
    if claims.get("htm") != request.method or claims.get("htu") != url:
        return "invalid_dpop_proof", "htm/htu do not match the request"
    if not isinstance(claims.get("iat"), int) or abs(time.time() - claims["iat"]) > PROOF_MAX_AGE:
        return "invalid_dpop_proof", "iat is missing or not recent"
    jti = claims.get("jti")
    oauth = state_of(store)
    nonce = current_nonce(store)
    with store.lock:
        if claims.get("nonce") not in (nonce, oauth.previous_nonce) or not claims.get("nonce"):
            return "use_dpop_nonce", "Authorization server requires nonce in DPoP proof"
        if not isinstance(jti, str) or not jti or jti in oauth.jtis:
            return "invalid_dpop_proof", "jti is missing or was used before"
        oauth.jtis.add(jti)
    if access_token and claims.get("ath") != _hash(access_token):
        return "invalid_dpop_proof", "ath does not match the access token"
    return key.thumbprint(), ""


def _hash(value: str) -> str:
    return urlsafe_b64encode(hashlib.sha256(value.encode()).digest()).decode().rstrip("=")


def resource_guard(store: Store, request: Request) -> Response | None:
    """A PDS call with `Authorization: DPoP <token>`: None when it may go ahead."""
    token = request.header("Authorization").partition(" ")[2].strip()
    jkt, why = check_proof(store, request, access_token=token)
    if why:
        return _resource_error(store, jkt, why)
    with store.lock:
        session = state_of(store).access.get(token)
    if session is None or session.jkt != jkt:
        return _resource_error(store, "invalid_token", "Invalid or DPoP-unbound access token")
    if _now(store) >= session.expires_at:
        return _resource_error(store, "invalid_token", '"exp" claim timestamp check failed')
    return None


def _resource_error(store: Store, error: str, why: str) -> Response:
    return Response(
        401,
        {"error": error, "message": why},
        {
            "WWW-Authenticate": f'DPoP error="{error}", error_description="{why}"',
            "DPoP-Nonce": current_nonce(store),
        },
    )


def owner_of(store: Store, request: Request) -> str:
    """The DID a DPoP-bound access token was issued for ("" for any other token)."""
    scheme, _, token = request.header("Authorization").partition(" ")
    if scheme.lower() != "dpop":
        return ""
    with store.lock:
        session = state_of(store).access.get(token.strip())
    return session.did if session else ""


# --- Client authentication -----------------------------------------------------------------------


def _client(store: Store, request: Request) -> tuple[dict[str, Any], str] | Response:
    """The client's metadata document and the `kid` it authenticated with ("" if public)."""
    client_id = request.arg("client_id")
    try:
        answer = requests.get(client_id, timeout=5, allow_redirects=False)
        metadata = answer.json() if answer.status_code == 200 else None
    except (requests.RequestException, ValueError):
        metadata = None
    with store.lock:
        state_of(store).clients_fetched.append(client_id)
    if not isinstance(metadata, dict) or metadata.get("client_id") != client_id:
        return _error(400, "invalid_client", "Client metadata could not be fetched", store)
    if metadata.get("dpop_bound_access_tokens") is not True:
        return _error(400, "invalid_client_metadata", "dpop_bound_access_tokens", store)
    if metadata.get("token_endpoint_auth_method", "none") == "none":
        if request.arg("client_assertion"):
            return _error(400, "invalid_client", "A public client sends no assertion", store)
        return metadata, ""
    if request.arg("client_assertion_type") != ASSERTION_TYPE:
        return _error(400, "invalid_client", "client_assertion_type", store)
    return _check_assertion(store, request, metadata)


def _check_assertion(
    store: Store, request: Request, metadata: dict[str, Any]
) -> tuple[dict[str, Any], str] | Response:
    assertion = request.arg("client_assertion")
    try:
        jwks = metadata.get("jwks") or requests.get(str(metadata["jwks_uri"]), timeout=5).json()
        kid = str(extract_compact(assertion.encode()).protected.get("kid", ""))
        keys = KeySet.import_key_set(jwks)
        claims = jwt.decode(assertion, keys, algorithms=["ES256"]).claims
    except (JoseError, KeyError, TypeError, ValueError, requests.RequestException):
        return _error(400, "invalid_client", "The client assertion does not verify", store)
    client_id = metadata["client_id"]
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        return _error(400, "invalid_client", "iss and sub must be the client_id", store)
    if claims.get("aud") != _origin(request) or not isinstance(claims.get("iat"), int):
        return _error(400, "invalid_client", "aud must be the issuer; iat is required", store)
    jti = claims.get("jti")
    with store.lock:
        seen = state_of(store).jtis
        if not isinstance(jti, str) or not jti or jti in seen:
            return _error(400, "invalid_client", "The assertion's jti was used before", store)
        seen.add(jti)
    return metadata, kid


# --- PAR, the authorisation page, tokens ------------------------------------------------------


def _proven_client(store: Store, request: Request) -> tuple[str, dict[str, Any], str] | Response:
    """A request to the authorisation server: its DPoP key's thumbprint, the client's metadata
    and the key the client authenticated with; or the refusal."""
    jkt, why = check_proof(store, request)
    if why:
        return _error(400, jkt, why, store)
    client = _client(store, request)
    if isinstance(client, Response):
        return client
    return (jkt, *client)


def _par(store: Store, request: Request) -> Response:
    proven = _proven_client(store, request)
    if isinstance(proven, Response):
        return proven
    jkt, metadata, kid = proven
    scopes = request.arg("scope").split()
    allowed = str(metadata.get("scope", "")).split()
    challenge = request.arg("code_challenge")
    problems = [
        (request.arg("response_type") != "code", "response_type must be code"),
        (request.arg("redirect_uri") not in metadata.get("redirect_uris", []), "redirect_uri"),
        ("atproto" not in scopes or not set(scopes) <= set(allowed), "scope"),
        (request.arg("code_challenge_method") != "S256" or not challenge, "PKCE S256"),
        (not request.arg("state"), "state is required"),
    ]
    for failed, what in problems:
        if failed:
            return _error(400, "invalid_request", what, store)
    oauth = state_of(store)
    request_uri = REQUEST_URI_PREFIX + secrets.token_urlsafe(16)
    with store.lock:
        if challenge in oauth.challenges:
            return _error(400, "invalid_request", "code_challenge was used before", store)
        oauth.challenges.add(challenge)
        oauth.requests[request_uri] = {
            **{k: request.arg(k) for k in ("client_id", "redirect_uri", "state", "login_hint")},
            "scope": " ".join(scopes),
            "challenge": challenge,
            "jkt": jkt,
            "kid": kid,
        }
    answer = ok({"request_uri": request_uri, "expires_in": 299}, status=201)
    answer.headers["DPoP-Nonce"] = current_nonce(store)
    return answer


def _authorize(store: Store, request: Request) -> Response:
    request_uri = request.arg("request_uri")
    with store.lock:
        pushed = state_of(store).requests.get(request_uri)
    if pushed is None or pushed["client_id"] != request.arg("client_id"):
        return Response(400, {"error": "invalid_request", "error_description": "request_uri"})
    if request.method == "POST":
        with store.lock:
            state_of(store).requests.pop(request_uri, None)
        back = {"state": pushed["state"], "iss": _origin(request)}
        if request.arg("decision") != "allow":
            back["error"] = "access_denied"
        else:
            found = _account_by(store, handle=pushed["login_hint"], did=pushed["login_hint"])
            if found is None:
                back["error"] = "access_denied"
            else:
                code = "cod-" + secrets.token_urlsafe(16)
                with store.lock:
                    state_of(store).codes[code] = {**pushed, "did": found[0]}
                back["code"] = code
        return Response(302, None, {"Location": f"{pushed['redirect_uri']}?{urlencode(back)}"})
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Bluesky (emulator): authorise</title>"
        "<style>body{font-family:sans-serif;overflow-wrap:anywhere}</style></head><body><main>"
        f"<h1>Sign in as {html.escape(pushed['login_hint'])} and allow access?</h1>"
        "<p>This is the platform emulator's stand-in for Bluesky's authorisation page.</p>"
        f"<p>Client: {html.escape(pushed['client_id'])}</p>"
        f"<p>It asks for: {html.escape(pushed['scope'])}</p>"
        '<form method="post">'
        f'<input type="hidden" name="client_id" value="{html.escape(pushed["client_id"])}">'
        f'<input type="hidden" name="request_uri" value="{html.escape(request_uri)}">'
        '<button name="decision" value="allow">Allow</button> '
        '<button name="decision" value="deny">Cancel</button></form></main></body></html>'
    )
    return Response(200, page, {"Content-Type": "text/html; charset=utf-8"})


def _token(store: Store, request: Request) -> Response:
    proven = _proven_client(store, request)
    if isinstance(proven, Response):
        return proven
    jkt, metadata, kid = proven
    oauth = state_of(store)
    grant = request.arg("grant_type")
    with store.lock:
        if grant == "authorization_code":
            entry = oauth.codes.pop(request.arg("code"), None)
            verifier = request.arg("code_verifier")
            if (
                entry is None
                or entry["client_id"] != metadata["client_id"]
                or entry["redirect_uri"] != request.arg("redirect_uri")
                or _hash(verifier) != entry["challenge"]
            ):
                return _error(400, "invalid_grant", "Invalid code or PKCE verifier", store)
            session = Session(entry["did"], entry["client_id"], entry["kid"], entry["jkt"], "", 0)
            session.scope = entry["scope"]
        elif grant == "refresh_token":
            spent = oauth.refresh.pop(request.arg("refresh_token"), None)
            if spent is None or _now(store) >= spent.expires_at:
                return _error(400, "invalid_grant", "Invalid refresh token", store)
            session = spent
        else:
            return _error(400, "unsupported_grant_type", grant, store)
        if session.jkt != jkt:
            return _error(400, "invalid_dpop_proof", "DPoP key mismatch", store)
        if session.client_id != metadata["client_id"] or session.client_kid != kid:
            return _error(400, "invalid_client", "The session is bound to another key", store)
        access = "acc-" + secrets.token_urlsafe(24)
        refresh = "ref-" + secrets.token_urlsafe(24)
        now = _now(store)
        oauth.access[access] = Session(
            session.did, session.client_id, kid, jkt, session.scope, now + ACCESS_SECONDS
        )
        oauth.refresh[refresh] = Session(
            session.did, session.client_id, kid, jkt, session.scope, now + REFRESH_SECONDS
        )
    answer = ok(
        {
            "access_token": access,
            "token_type": "DPoP",
            "expires_in": ACCESS_SECONDS,
            "refresh_token": refresh,
            "scope": session.scope,
            "sub": session.did,
        }
    )
    answer.headers.update({"DPoP-Nonce": current_nonce(store), "Cache-Control": "no-store"})
    return answer


ROUTES = [
    route("/xrpc/com.atproto.identity.resolveHandle", _resolve_handle, ["GET"]),
    route("/plc/<did>", _did_document, ["GET"]),
    route("/.well-known/oauth-protected-resource", _protected_resource, ["GET"]),
    route("/.well-known/oauth-authorization-server", _server_metadata, ["GET"]),
    route("/oauth/par", _par, ["POST"]),
    route("/oauth/authorize", _authorize, ["GET", "POST"]),
    route("/oauth/token", _token, ["POST"]),
]


def client_metadata_fetches(store: Store) -> list[str]:
    with store.lock:
        return list(state_of(store).clients_fetched)
