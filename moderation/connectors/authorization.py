"""Connecting a channel in the browser: each platform's OAuth 2.0 authorisation code flow.

Authlib (`OAuth2Session`) builds the authorisation URL (with `state`, and PKCE's S256 challenge
where the platform takes one) and makes the standard token requests; `oauth_apps.py` says what
each platform documents and where it departs from RFC 6749, and `oauth_requests.py` reads the
answers. This module is plain Python: the Django side (`moderation/connecting.py`) passes in
the deployment's app credentials, the redirect URI and where the emulator is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from moderation.connectors.errors import PermanentError
from moderation.connectors.hosts import guard_public_addresses
from moderation.connectors.oauth_apps import OAUTH_APPS, OAuthApp
from moderation.connectors.oauth_requests import (
    TIMEOUT,
    Grant,
    get_json,
    grant_from,
    post_json,
    request_json,
    run_token_request,
    unwrap_data_list,
)
from moderation.connectors.parsing import clean_text

# Which emulated platform answers for each real host (moderation/emulator/authorization.py).
EMULATED_HOSTS = {
    "www.facebook.com": "facebook",
    "graph.facebook.com": "facebook",
    "www.instagram.com": "instagram",
    "api.instagram.com": "instagram",
    "graph.instagram.com": "instagram",
    "threads.net": "threads",
    "graph.threads.net": "threads",
    "accounts.google.com": "youtube",
    "oauth2.googleapis.com": "youtube",
    "www.googleapis.com": "youtube",
    "x.com": "x",
    "api.x.com": "x",
    "www.linkedin.com": "linkedin",
    "api.linkedin.com": "linkedin",
    "www.tiktok.com": "tiktok",
    "business-api.tiktok.com": "tiktok",
}


@dataclass(frozen=True)
class Client:
    """The deployment's (or, for Mastodon, the instance's) registered app."""

    client_id: str
    client_secret: str = ""


@dataclass(frozen=True)
class Place:
    """Where the endpoints are: Meta's Graph version, a Mastodon instance, or the emulator."""

    graph_version: str = "v25.0"
    instance: str = ""  # https://mastodon.example
    emulator: str = ""  # PLATFORM_BASE_URL: every endpoint is served under it, per platform

    def url(self, template: str, platform: str) -> str:
        """The real URL; with the emulator, its path under the emulated platform that owns
        the host (Instagram with Facebook Login is served by Facebook's hosts)."""
        url = template.format(version=self.graph_version, instance=self.instance.rstrip("/"))
        if not self.emulator:
            return url
        parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        owner = EMULATED_HOSTS.get(parts.hostname or "", platform)
        return f"{self.emulator.rstrip('/')}/{owner}{parts.path}{query}"


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    code_verifier: str = ""


Now = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _session(
    app: OAuthApp,
    client: Client,
    redirect_uri: str = "",
    *,
    public_only: bool = False,
) -> OAuth2Session:
    auth = app.token_auth
    if auth == "client_secret_basic" and not client.client_secret:
        auth = "none"  # X's public clients send their id in the form
    session = OAuth2Session(
        client.client_id,
        client.client_secret or None,
        scope=app.scope,
        redirect_uri=redirect_uri or None,
        code_challenge_method="S256" if app.pkce else None,
        token_endpoint_auth_method=auth,
    )
    if public_only:
        guard_public_addresses(session)
    return session


def authorization_request(
    app: OAuthApp, client: Client, redirect_uri: str, place: Place
) -> AuthorizationRequest:
    """The URL to send the person to, the `state` to keep in their session and the PKCE
    verifier (kept in the session too, never sent until the code comes back)."""
    params = dict(app.authorize_params)
    if app.flow == "tiktok":
        params["client_key"] = client.client_id  # TikTok's name for the client id
    verifier = generate_token(64) if app.pkce else ""
    with _session(app, client, redirect_uri) as session:
        url, state = session.create_authorization_url(
            place.url(app.authorize_url, app.platform), code_verifier=verifier or None, **params
        )
    return AuthorizationRequest(url=url, state=state, code_verifier=verifier)


def exchange_code(
    app: OAuthApp,
    client: Client,
    redirect_uri: str,
    code: str,
    place: Place,
    *,
    code_verifier: str = "",
    public_only: bool = False,
    now: Now = _utcnow,
) -> Grant:
    """Exchange the authorisation code for tokens (and Meta's short token for a long one)."""
    with _session(app, client, redirect_uri, public_only=public_only) as session:
        if app.flow == "tiktok":
            grant = _tiktok_token(
                session,
                place.url(app.token_url, app.platform),
                {
                    "client_id": client.client_id,
                    "client_secret": client.client_secret,
                    "grant_type": "authorization_code",
                    "auth_code": code,
                    "redirect_uri": redirect_uri,
                },
                now(),
            )
            return grant
        session.register_compliance_hook("access_token_response", unwrap_data_list)
        kwargs: dict[str, Any] = {"code": code, "timeout": TIMEOUT}
        if code_verifier:
            kwargs["code_verifier"] = code_verifier
        token = run_token_request(
            app, lambda: session.fetch_token(place.url(app.token_url, app.platform), **kwargs)
        )
        grant = grant_from(token, app, now())
        if app.long_lived:
            grant = _long_lived(app, client, session, grant, place, now())
        return grant


def refresh(
    app: OAuthApp,
    client: Client,
    credentials: Mapping[str, str],
    place: Place,
    *,
    public_only: bool = False,
    now: Now = _utcnow,
) -> Grant:
    """A new access token (and refresh token, where the platform rotates them)."""
    with _session(app, client, public_only=public_only) as session:
        if app.refresh == "meta":
            url = place.url(app.refresh_url, app.platform)
            grant_type = "th_refresh_token" if app.platform == "threads" else "ig_refresh_token"
            body = get_json(
                app,
                session,
                url,
                {"grant_type": grant_type, "access_token": credentials["access_token"]},
            )
            return grant_from(body, app, now())
        if app.refresh == "tiktok":
            return _tiktok_token(
                session,
                place.url(app.refresh_url, app.platform),
                {
                    "client_id": client.client_id,
                    "client_secret": client.client_secret,
                    "grant_type": "refresh_token",
                    "refresh_token": credentials["refresh_token"],
                },
                now(),
            )
        if app.refresh == "oauth" and credentials.get("refresh_token"):
            token = run_token_request(
                app,
                lambda: session.refresh_token(
                    place.url(app.token_url, app.platform),
                    refresh_token=credentials["refresh_token"],
                    timeout=TIMEOUT,
                ),
            )
            grant = grant_from(token, app, now())
            if not grant.refresh_token:  # Google keeps the refresh token it issued once
                grant = replace(grant, refresh_token=credentials["refresh_token"])
            return grant
    raise PermanentError(
        f"{app.label}: this connection cannot be renewed without a person; reconnect it",
        code="no_refresh",
    )


def register_mastodon_app(
    instance: str,
    redirect_uri: str,
    place: Place,
    *,
    client_name: str,
    website: str = "",
    public_only: bool = True,
) -> Client:
    """Register the console as an app on a Mastodon instance (`POST /api/v1/apps`)."""
    app = OAUTH_APPS["mastodon"]
    with _session(app, Client("unregistered"), public_only=public_only) as session:
        form = {
            "client_name": client_name,
            "redirect_uris": redirect_uri,
            "scopes": app.scope,
        }
        if website:
            form["website"] = website
        body = post_json(app, session, place.url("{instance}/api/v1/apps", "mastodon"), form)
    client_id, secret = body.get("client_id"), body.get("client_secret")
    if not isinstance(client_id, str) or not client_id or not isinstance(secret, str):
        raise PermanentError("Mastodon: the instance registered no app", code="no_client")
    return Client(client_id, secret)


def _long_lived(
    app: OAuthApp,
    client: Client,
    session: OAuth2Session,
    short: Grant,
    place: Place,
    now: dt.datetime,
) -> Grant:
    url = place.url(app.long_lived_url, app.platform)
    if app.long_lived == "facebook":
        params = {
            "grant_type": "fb_exchange_token",
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "fb_exchange_token": short.access_token,
        }
    else:
        exchange = "th_exchange_token" if app.long_lived == "threads" else "ig_exchange_token"
        params = {
            "grant_type": exchange,
            "client_secret": client.client_secret,
            "access_token": short.access_token,
        }
    body = get_json(app, session, url, params)
    long = grant_from(body, app, now)
    # The long-lived answer does not repeat who signed in.
    return replace(long, user_id=short.user_id, scope=short.scope)


def _tiktok_token(
    session: OAuth2Session, url: str, payload: Mapping[str, str], now: dt.datetime
) -> Grant:
    app = OAUTH_APPS["tiktok"]
    body = request_json(
        app,
        lambda: session.post(url, json=dict(payload), timeout=TIMEOUT, withhold_token=True),
    )
    code = body.get("code")
    if code not in (0, None):
        message = clean_text(str(body.get("message") or ""))[:300]
        raise PermanentError(f"TikTok refused: {message} (code {code})", code=str(code))
    data = body.get("data")
    if not isinstance(data, Mapping):
        raise PermanentError("TikTok: the token answer had no data", code="no_token")
    return grant_from(data, app, now)
