"""The platforms' OAuth endpoints, emulated, for connecting channels in the demo and the tests.

- **Authorisation pages** (`GET` at each platform's path, e.g. `/facebook/v25.0/dialog/oauth`,
  `/youtube/o/oauth2/v2/auth`, `/x/i/oauth2/authorize`): a minimal consent page naming the app
  and the scopes, with "Allow" and "Cancel". Allowing redirects to the `redirect_uri` with a
  one-use `code` and the `state` unchanged (cancelling, with `error=access_denied`).
- **Token endpoints**: the code exchange (checking the client, the redirect URI and the PKCE
  verifier against the S256 challenge), Meta's long-lived exchanges and renewals, TikTok's JSON
  endpoint and envelope, LinkedIn's, Mastodon's (`POST /api/v1/apps` registers an app first).
- **Who signed in**: `me/accounts` (Pages with Page tokens and their Instagram accounts),
  `me` (Threads, Instagram Login), `youtube/v3/channels?mine=true`, `/2/users/me`,
  `rest/organizationAcls` and `rest/organizations/{id}`, TikTok's `business/get/`, Mastodon's
  `verify_credentials`. The accounts offered are those the emulator's world holds for that
  platform (the demo's council accounts).

Tokens expire on each platform's documented schedule (`LIFETIMES`), measured on the emulator's
clock, which tests move with `Emulator.advance_clock`: a call with an expired token gets the
platform's own expired-token error. Refresh tokens that rotate (X) work once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug.routing import Rule

from moderation.emulator.http import Request, Response, ok, route
from moderation.emulator.mastodon import render_account
from moderation.emulator.oauth import refresh as refresh_grant
from moderation.emulator.store import Store

DAY = 86400
# Seconds each kind of token lives (None: no expiry), from the platforms' documentation.
LIFETIMES: dict[str, int | None] = {
    "facebook:user": 3600,
    "facebook:long": 60 * DAY,
    "facebook:page": None,
    "instagram:short": 3600,
    "instagram:long": 60 * DAY,
    "threads:short": 3600,
    "threads:long": 60 * DAY,
    "youtube:access": 3599,
    "x:access": 7200,
    "linkedin:access": 60 * DAY,
    "tiktok:access": DAY,
    "tiktok:refresh": 365 * DAY,  # renewed by moderation/emulator/tiktok.py
    "mastodon:access": None,
}
AUTHORIZE_PATHS = {
    "instagram": "/oauth/authorize",
    "threads": "/oauth/authorize",
    "youtube": "/o/oauth2/v2/auth",
    "x": "/i/oauth2/authorize",
    "linkedin": "/oauth/v2/authorization",
    "tiktok": "/v2/auth/authorize/",
    "mastodon": "/oauth/authorize",
}


@dataclass
class Issued:
    platform: str
    kind: str
    client_id: str
    expires_at: float | None
    account: str = ""


@dataclass
class OAuthWorld:
    """What the emulator's OAuth endpoints remember (held by the Store, reset with it)."""

    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, Issued] = field(default_factory=dict)
    spent: set[str] = field(default_factory=set)
    mastodon_apps: dict[str, dict[str, str]] = field(default_factory=dict)
    clock_offset: float = 0.0
    exchanges: list[dict[str, str]] = field(default_factory=list)  # what was asked, no secrets

    def now(self) -> float:
        return time.time() + self.clock_offset


def world(store: Store) -> OAuthWorld:
    with store.lock:
        if not isinstance(store.oauth, OAuthWorld):
            store.oauth = OAuthWorld()
        return store.oauth


def is_expired(store: Store, token: str) -> bool:
    """Whether ``token`` is one the emulator issued whose time is up."""
    oauth = world(store)
    with store.lock:
        issued = oauth.tokens.get(token)
        return bool(issued and issued.expires_at is not None and oauth.now() >= issued.expires_at)


def issue(store: Store, platform: str, kind: str, client_id: str, account: str = "") -> str:
    """A new token of this kind, living as long as the platform's do."""
    return remember(
        store, f"{platform}-{kind}-{secrets.token_urlsafe(12)}", platform, kind, client_id, account
    )


def remember(
    store: Store, token: str, platform: str, kind: str, client_id: str, account: str = ""
) -> str:
    oauth = world(store)
    lifetime = LIFETIMES.get(f"{platform}:{kind}")
    with store.lock:
        oauth.tokens[token] = Issued(
            platform, kind, client_id, None if lifetime is None else oauth.now() + lifetime, account
        )
    return token


# --- The consent page -----------------------------------------------------------------------------


def authorize(store: Store, request: Request) -> Response:
    redirect = request.arg("redirect_uri")
    state = request.arg("state")
    client_id = request.arg("client_id") or request.arg("client_key")
    if not redirect or not client_id:
        return Response(400, {"error": "invalid_request", "error_description": "No client."})
    if request.platform == "mastodon" and client_id not in world(store).mastodon_apps:
        return Response(401, {"error": "invalid_client"})
    if request.method == "POST":
        if request.arg("decision") != "allow":
            return redirect_with(redirect, {"error": "access_denied", "state": state})
        code = secrets.token_urlsafe(16)
        with store.lock:
            world(store).codes[code] = {
                "platform": request.platform,
                "client_id": client_id,
                "redirect_uri": redirect,
                "challenge": request.arg("code_challenge"),
                "method": request.arg("code_challenge_method"),
            }
        return redirect_with(redirect, {"code": code, "state": state})
    scopes = request.arg("scope").replace(",", " ").split()
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v[0])}">'
        for k, v in request.query.items()
    )
    items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes) or "<li>basic access</li>"
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(request.platform)} (emulator): allow access</title></head>"
        f"<body><main><h1>Allow the console to manage your {html.escape(request.platform)} "
        "account?</h1><p>This is the platform emulator's stand-in for the platform's own "
        "sign-in and consent page.</p>"
        f"<p>App: {html.escape(client_id)}</p><p>It asks to:</p><ul>{items}</ul>"
        f'<form method="post">{hidden}<button name="decision" value="allow">Allow</button> '
        '<button name="decision" value="deny">Cancel</button></form></main></body></html>'
    )
    return Response(200, page, {"Content-Type": "text/html; charset=utf-8"})


def redirect_with(uri: str, params: dict[str, str]) -> Response:
    glue = "&" if "?" in uri else "?"
    return Response(302, None, {"Location": f"{uri}{glue}{urlencode(params)}"})


def take_code(store: Store, request: Request, code: str) -> dict[str, str] | Response:
    client_id, _secret = client_credentials(request)
    with store.lock:
        entry = world(store).codes.pop(code, None)
    if entry is None or entry["platform"] != request.platform:
        return oauth_error(request, "invalid_grant", "The code is unknown or already used.")
    if entry["client_id"] != client_id:
        return oauth_error(request, "invalid_client", "The code was issued to another client.")
    if request.arg("redirect_uri") != entry["redirect_uri"]:
        return oauth_error(request, "invalid_grant", "redirect_uri does not match.")
    if entry["challenge"]:
        verifier = request.arg("code_verifier")
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        if entry["method"] != "S256" or not secrets.compare_digest(expected, entry["challenge"]):
            return oauth_error(request, "invalid_grant", "PKCE verification failed.")
    with store.lock:
        world(store).exchanges.append(
            {"platform": request.platform, "client_id": client_id, "pkce": entry["challenge"]}
        )
    return entry


def client_credentials(request: Request) -> tuple[str, str]:
    scheme, _, value = request.header("Authorization").partition(" ")
    if scheme.lower() == "basic":
        try:
            pair = base64.b64decode(value.strip()).decode()
        except ValueError:
            return "", ""
        client_id, _, secret = pair.partition(":")
        return client_id, secret
    return request.arg("client_id"), request.arg("client_secret")


def oauth_error(request: Request, error: str, description: str) -> Response:
    if request.platform in ("facebook", "instagram", "threads"):
        return Response(400, {"error": {"message": description, "type": "OAuthException"}})
    return Response(400, {"error": error, "error_description": description})


def first_account(store: Store, platform: str, default: str) -> str:
    with store.lock:
        found = [account for (p, account) in store.accounts if p == platform]
    return found[0] if found else store.account(platform, default).id


# --- Token endpoints --------------------------------------------------------------------------


def _standard_token(store: Store, request: Request) -> Response | None:
    """YouTube, X, LinkedIn and Mastodon: RFC 6749 code exchange (refresh: the platform's own
    module for YouTube and X, kept as it was)."""
    if request.arg("grant_type") == "refresh_token" and request.platform in ("youtube", "x"):
        # moderation/emulator/oauth.py renews them (X rotating its refresh tokens); the new
        # access token then lives as long as the platform says.
        response = refresh_grant(
            store,
            request,
            rotate=request.platform == "x",
            lifetime_seconds=LIFETIMES[f"{request.platform}:access"] or 0,
        )
        token = response.body.get("access_token") if isinstance(response.body, dict) else None
        if isinstance(token, str):
            remember(store, token, request.platform, "access", client_credentials(request)[0])
        return response
    if request.arg("grant_type") == "refresh_token":
        return _rfc_refresh(store, request)
    if request.arg("grant_type") != "authorization_code":
        return oauth_error(request, "unsupported_grant_type", "authorization_code only")
    entry = take_code(store, request, request.arg("code"))
    if isinstance(entry, Response):
        return entry
    platform = request.platform
    access = issue(store, platform, "access", entry["client_id"])
    body: dict[str, Any] = {"access_token": access, "token_type": "Bearer"}
    lifetime = LIFETIMES.get(f"{platform}:access")
    if lifetime:
        body["expires_in"] = lifetime
    if platform in ("youtube", "x"):
        body["refresh_token"] = issue(store, platform, "refresh", entry["client_id"])
    if platform == "mastodon":
        body["scope"] = request.arg("scope")
        body["created_at"] = int(world(store).now())
    return ok(body)


def _rfc_refresh(store: Store, request: Request) -> Response:
    token = request.arg("refresh_token")
    with store.lock:
        issued = world(store).tokens.get(token)
    if issued is None or issued.platform != request.platform or issued.kind != "refresh":
        return oauth_error(request, "invalid_grant", "Unknown refresh token.")
    access = issue(store, request.platform, "access", issued.client_id)
    return ok({"access_token": access, "expires_in": LIFETIMES.get(f"{request.platform}:access")})


def _tiktok_token(store: Store, request: Request) -> Response:
    body = request.body if isinstance(request.body, dict) else {}

    def envelope(code: int, message: str, data: dict[str, Any] | None = None) -> Response:
        return ok({"code": code, "message": message, "request_id": "emulator", "data": data or {}})

    client_id = str(body.get("client_id") or "")
    if not client_id or not body.get("client_secret"):
        return envelope(40001, "Invalid client.")
    account = first_account(store, "tiktok", "bus-7300000000000000001")
    entry = take_code(store, _as_form(request, body), str(body.get("auth_code") or ""))
    if isinstance(entry, Response):
        return envelope(40002, "Invalid auth_code.")
    return envelope(
        0,
        "OK",
        {
            "access_token": issue(store, "tiktok", "access", client_id, account),
            "expires_in": DAY,
            "open_id": account,
            "refresh_token": issue(store, "tiktok", "refresh", client_id, account),
            "refresh_token_expires_in": 365 * DAY,
            "scope": "user.info.basic,video.list,comment.list,comment.list.manage",
            "token_type": "Bearer",
        },
    )


def _as_form(request: Request, body: dict[str, Any]) -> Request:
    form = {k: [str(v)] for k, v in body.items()}
    return Request(
        request.method,
        request.platform,
        request.path,
        request.segments,
        request.query,
        form,
        None,
        {},
        request.base,
    )


def _mastodon_app(store: Store, request: Request) -> Response:
    client_id, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
    with store.lock:
        world(store).mastodon_apps[client_id] = {
            "secret": secret,
            "redirect_uri": request.arg("redirect_uris"),
            "name": request.arg("client_name"),
        }
    return ok(
        {
            "id": str(len(world(store).mastodon_apps)),
            "name": request.arg("client_name"),
            "website": request.arg("website") or None,
            "redirect_uri": request.arg("redirect_uris"),
            "redirect_uris": [request.arg("redirect_uris")],
            "scopes": request.arg("scopes").split(),
            "client_id": client_id,
            "client_secret": secret,
        }
    )


# --- Who signed in ------------------------------------------------------------------------------


def token_of(store: Store, request: Request) -> Issued | None:
    with store.lock:
        return world(store).tokens.get(request.bearer() or request.header("Access-Token"))


def _youtube_channels(store: Store, request: Request) -> Response | None:
    if request.arg("mine") != "true":
        return None
    account = first_account(store, "youtube", "UCexamplecouncil000000001")
    return ok(
        {
            "kind": "youtube#channelListResponse",
            "items": [
                {
                    "kind": "youtube#channel",
                    "id": account,
                    "snippet": {"title": store.account("youtube", account).name},
                }
            ],
        }
    )


def _x_me(store: Store, request: Request) -> Response:
    account = store.account("x", first_account(store, "x", "1001"))
    return ok({"data": {"id": account.id, "name": account.name, "username": account.handle}})


def _linkedin_acls(store: Store, request: Request) -> Response:
    if request.arg("q") != "roleAssignee":
        return Response(400, {"status": 400, "message": "Unknown finder"})
    with store.lock:
        organisations = [a for (p, a) in store.accounts if p == "linkedin"]
    return ok(
        {
            "paging": {"start": 0, "count": 100, "links": [], "total": len(organisations)},
            "elements": [
                {
                    "organization": o if o.startswith("urn:") else f"urn:li:organization:{o}",
                    "role": "ADMINISTRATOR",
                    "state": "APPROVED",
                    "roleAssignee": "urn:li:person:emulator",
                }
                for o in organisations
            ],
        }
    )


def _linkedin_organisation(store: Store, request: Request, number: str) -> Response:
    with store.lock:
        for (platform, account_id), account in store.accounts.items():
            if platform == "linkedin" and account_id.rsplit(":", 1)[-1] == number:
                return ok({"id": int(number), "localizedName": account.name})
    return Response(404, {"status": 404, "message": "Not found"})


def _tiktok_business(store: Store, request: Request) -> Response:
    account = store.account("tiktok", request.arg("business_id"))
    return ok(
        {
            "code": 0,
            "message": "OK",
            "request_id": "emulator",
            "data": {"username": account.handle, "display_name": account.name},
        }
    )


def _mastodon_me(store: Store, request: Request) -> Response:
    """A CredentialAccount: the Account entity plus `source` and `role`."""
    account = store.account("mastodon", first_account(store, "mastodon", "109000000000000001"))
    return ok(
        {
            **render_account(account.id, account.handle, account.name),
            "source": {
                "fields": [],
                "follow_requests_count": 0,
                "indexable": False,
                "note": "",
                "privacy": "public",
                "sensitive": False,
            },
            "role": {
                "id": "-99",
                "name": "",
                "color": "",
                "highlighted": False,
                "permissions": "0",
            },
        }
    )


# Answered before each platform's own routes, with no token needed (None: the platform answers).
ROUTES: dict[str, list[Rule]] = {
    "youtube": [
        route(AUTHORIZE_PATHS["youtube"], authorize),
        route("/token", _standard_token, ["POST"]),
        route("/youtube/v3/channels", _youtube_channels, ["GET"]),
    ],
    "x": [
        route(AUTHORIZE_PATHS["x"], authorize),
        route("/2/oauth2/token", _standard_token, ["POST"]),
        route("/2/users/me", _x_me),
    ],
    "linkedin": [
        route(AUTHORIZE_PATHS["linkedin"], authorize),
        route("/oauth/v2/accessToken", _standard_token, ["POST"]),
        route("/rest/organizationAcls", _linkedin_acls),
        route("/rest/organizationAcls/<path:_rest>", _linkedin_acls),
        route("/rest/organizations/<number>", _linkedin_organisation),
    ],
    "tiktok": [
        route(AUTHORIZE_PATHS["tiktok"], authorize),
        route("/open_api/<_version>/tt_user/oauth2/token/", _tiktok_token),  # renewals: tiktok.py
        route("/open_api/<_version>/business/get/", _tiktok_business),
    ],
    "mastodon": [
        route(AUTHORIZE_PATHS["mastodon"], authorize),
        route("/api/v1/apps", _mastodon_app, ["POST"]),
        route("/oauth/token", _standard_token, ["POST"]),
        route("/api/v1/accounts/verify_credentials", _mastodon_me),
    ],
}
