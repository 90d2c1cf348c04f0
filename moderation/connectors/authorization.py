"""Connecting a channel in the browser: each platform's OAuth 2.0 authorisation code flow.

Authlib (`OAuth2Session`) builds the authorisation URL (with `state`, and PKCE's S256 challenge
where the platform takes one) and makes the standard token requests. `OAUTH_APPS` says, per
way of connecting, what the platform documents: its authorisation and token endpoints, scopes,
whether it takes PKCE, how the client authenticates at the token endpoint, whether a short token
must be exchanged for a long-lived one, how (and whether) tokens are refreshed, and how long
they live. This module is plain Python: the Django side (`moderation/connecting.py`) passes in
the deployment's app credentials, the redirect URI and where the emulator is.

Where a platform departs from RFC 6749 the departure is written out here rather than hidden:

- Meta (Facebook, Instagram with Facebook Login): the code gives a user token for about an
  hour; `GET /oauth/access_token?grant_type=fb_exchange_token` turns it into a long-lived one
  (about 60 days), and the Page tokens read with that (`me/accounts`) do not expire. A Page
  token read with the short-lived token would last an hour, so the exchange is never skipped.
- Threads and Instagram Login: the code gives a one-hour token; `GET /access_token` with
  `th_exchange_token` / `ig_exchange_token` gives a 60-day token, refreshed (while still valid
  and at least a day old) by `GET /refresh_access_token` with `th_refresh_token` /
  `ig_refresh_token`. Instagram Login's code answer may wrap the token in `data: [...]`.
- TikTok (API for Business, TikTok accounts): the token endpoint takes JSON with `auth_code`
  and answers in TikTok's envelope `{code, message, data}`; the token lasts 24 hours and its
  refresh token a year. From the community SDK only: UNVERIFIED, like every TikTok call.
- Mastodon: each instance is its own server; the app is registered on it first
  (`POST /api/v1/apps`), and PKCE is used (Mastodon 4.3 and later check it; older instances
  ignore it). Its tokens do not expire.
- LinkedIn: access tokens last 60 days; refresh tokens exist only for apps LinkedIn has
  approved for them, so most councils must reconnect every 60 days (warned ahead).
- X: PKCE is required; `offline.access` is the scope that yields a refresh token; a confidential
  client authenticates with HTTP Basic, a public one sends its id in the form.
- YouTube (Google): `access_type=offline` and `prompt=consent` so that a refresh token is
  issued every time, not only on the first consent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from moderation.connectors.errors import PermanentError, TransientError
from moderation.connectors.hosts import guard_public_addresses
from moderation.connectors.linkedin import SCOPES as LINKEDIN_SCOPES
from moderation.connectors.parsing import clean_text

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
TIMEOUT = (3.05, 15)
# Meta's long-lived tokens may be refreshed once they are a day old (Threads, Instagram Login).
META_REFRESH_MIN_AGE = DAY


@dataclass(frozen=True)
class OAuthApp:
    """One way of connecting a channel. URLs may hold ``{version}`` (Meta's Graph API version)
    and ``{instance}`` (a Mastodon instance, ``https://host``)."""

    flow: str
    platform: str
    label: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    scope_separator: str = " "
    pkce: bool = False
    # Authlib's names: client_secret_post (id and secret in the form), client_secret_basic
    # (HTTP Basic), none (a public client: the id in the form, no secret).
    token_auth: str = "client_secret_post"
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    # "facebook", "threads", "instagram": a long-lived token is fetched after the code's.
    long_lived: str = ""
    long_lived_url: str = ""
    # "oauth" (the refresh_token grant), "meta" (Threads/Instagram Login refresh_access_token),
    # "tiktok" (TikTok's JSON endpoint), or "" (a person must reconnect).
    refresh: str = ""
    refresh_url: str = ""
    # What the platform documents; the token answer's own figures win when it gives them.
    access_lifetime: dt.timedelta | None = None
    refresh_lifetime: dt.timedelta | None = None
    # The deployment's app credentials are <prefix>_CLIENT_ID and <prefix>_CLIENT_SECRET;
    # "" where the app is registered per instance (Mastodon).
    settings_prefix: str = ""

    @property
    def scope(self) -> str:
        return self.scope_separator.join(self.scopes)


# Meta's permissions for moderating a Page's comments (pages_read_user_content reads visitors'
# comments, pages_manage_engagement hides, deletes and replies, pages_manage_metadata subscribes
# the Page to the app's webhooks, pages_show_list lists the Pages the person manages).
FACEBOOK_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_manage_metadata",
    "business_management",
)
INSTAGRAM_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_metadata",
    "instagram_basic",
    "instagram_manage_comments",
    "business_management",
)

OAUTH_APPS: Mapping[str, OAuthApp] = MappingProxyType(
    {
        app.flow: app
        for app in (
            OAuthApp(
                flow="facebook",
                platform="facebook",
                label="Facebook Page",
                authorize_url="https://www.facebook.com/{version}/dialog/oauth",
                token_url="https://graph.facebook.com/{version}/oauth/access_token",
                scopes=FACEBOOK_SCOPES,
                scope_separator=",",
                long_lived="facebook",
                long_lived_url="https://graph.facebook.com/{version}/oauth/access_token",
                settings_prefix="FACEBOOK",
            ),
            OAuthApp(
                flow="instagram",
                platform="instagram",
                label="Instagram (through its Facebook Page)",
                authorize_url="https://www.facebook.com/{version}/dialog/oauth",
                token_url="https://graph.facebook.com/{version}/oauth/access_token",
                scopes=INSTAGRAM_SCOPES,
                scope_separator=",",
                long_lived="facebook",
                long_lived_url="https://graph.facebook.com/{version}/oauth/access_token",
                settings_prefix="FACEBOOK",
            ),
            OAuthApp(
                flow="instagram_login",
                platform="instagram",
                label="Instagram (Instagram Login)",
                authorize_url="https://www.instagram.com/oauth/authorize",
                token_url="https://api.instagram.com/oauth/access_token",
                scopes=("instagram_business_basic", "instagram_business_manage_comments"),
                scope_separator=",",
                long_lived="instagram",
                long_lived_url="https://graph.instagram.com/access_token",
                refresh="meta",
                refresh_url="https://graph.instagram.com/refresh_access_token",
                access_lifetime=60 * DAY,
                settings_prefix="INSTAGRAM",
            ),
            OAuthApp(
                flow="threads",
                platform="threads",
                label="Threads",
                authorize_url="https://threads.net/oauth/authorize",
                token_url="https://graph.threads.net/oauth/access_token",
                scopes=("threads_basic", "threads_read_replies", "threads_manage_replies"),
                scope_separator=",",
                long_lived="threads",
                long_lived_url="https://graph.threads.net/access_token",
                refresh="meta",
                refresh_url="https://graph.threads.net/refresh_access_token",
                access_lifetime=60 * DAY,
                settings_prefix="THREADS",
            ),
            OAuthApp(
                flow="youtube",
                platform="youtube",
                label="YouTube",
                authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
                token_url="https://oauth2.googleapis.com/token",
                scopes=("https://www.googleapis.com/auth/youtube.force-ssl",),
                pkce=True,
                authorize_params={"access_type": "offline", "prompt": "consent"},
                refresh="oauth",
                access_lifetime=HOUR,
                settings_prefix="YOUTUBE",
            ),
            OAuthApp(
                flow="x",
                platform="x",
                label="X",
                # X's OAuth 2.0 guide; its OpenAPI document names api.x.com/2/oauth2/authorize
                # and this token URL (docs/connectors.md).
                authorize_url="https://x.com/i/oauth2/authorize",
                token_url="https://api.x.com/2/oauth2/token",
                scopes=(
                    "tweet.read",
                    "users.read",
                    "tweet.write",
                    "tweet.moderate.write",
                    "mute.write",
                    "offline.access",
                ),
                pkce=True,
                token_auth="client_secret_basic",
                refresh="oauth",
                access_lifetime=2 * HOUR,
                settings_prefix="X",
            ),
            OAuthApp(
                flow="linkedin",
                platform="linkedin",
                label="LinkedIn Page",
                authorize_url="https://www.linkedin.com/oauth/v2/authorization",
                token_url="https://www.linkedin.com/oauth/v2/accessToken",
                # The connector's current permission names (linkedin.py SCOPES), and the one
                # that lists the organisations the person administers.
                scopes=(*LINKEDIN_SCOPES, "rw_organization_admin"),
                refresh="oauth",  # only when LinkedIn issued a refresh token (approved apps)
                access_lifetime=60 * DAY,
                refresh_lifetime=365 * DAY,
                settings_prefix="LINKEDIN",
            ),
            OAuthApp(
                flow="tiktok",
                platform="tiktok",
                label="TikTok",
                authorize_url="https://www.tiktok.com/v2/auth/authorize/",
                token_url="https://business-api.tiktok.com/open_api/v1.3/tt_user/oauth2/token/",
                scopes=("user.info.basic", "video.list", "comment.list", "comment.list.manage"),
                scope_separator=",",
                refresh="tiktok",
                refresh_url=(
                    "https://business-api.tiktok.com/open_api/v1.3/tt_user/oauth2/refresh_token/"
                ),
                access_lifetime=DAY,
                refresh_lifetime=365 * DAY,
                settings_prefix="TIKTOK",
            ),
            OAuthApp(
                flow="mastodon",
                platform="mastodon",
                label="Mastodon",
                authorize_url="{instance}/oauth/authorize",
                token_url="{instance}/oauth/token",
                scopes=(
                    "read:accounts",
                    "read:notifications",
                    "read:statuses",
                    "write:statuses",
                    "write:blocks",
                    "write:mutes",
                    "write:reports",
                ),
                pkce=True,
            ),
        )
    }
)


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


@dataclass(frozen=True)
class Grant:
    """What the platform granted: tokens, when they stop working, and who signed in."""

    access_token: str
    refresh_token: str = ""
    access_expires_at: dt.datetime | None = None
    refresh_expires_at: dt.datetime | None = None
    user_id: str = ""  # Threads and Instagram Login user id, TikTok open_id
    scope: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


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
        session.register_compliance_hook("access_token_response", _unwrap_data_list)
        kwargs: dict[str, Any] = {"code": code, "timeout": TIMEOUT}
        if code_verifier:
            kwargs["code_verifier"] = code_verifier
        token = _call(
            app, lambda: session.fetch_token(place.url(app.token_url, app.platform), **kwargs)
        )
        grant = _grant(token, app, now())
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
            body = _get_json(
                app,
                session,
                url,
                {"grant_type": grant_type, "access_token": credentials["access_token"]},
            )
            return _grant(body, app, now())
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
            token = _call(
                app,
                lambda: session.refresh_token(
                    place.url(app.token_url, app.platform),
                    refresh_token=credentials["refresh_token"],
                    timeout=TIMEOUT,
                ),
            )
            grant = _grant(token, app, now())
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
        body = _post_json(app, session, place.url("{instance}/api/v1/apps", "mastodon"), form)
    client_id, secret = body.get("client_id"), body.get("client_secret")
    if not isinstance(client_id, str) or not client_id or not isinstance(secret, str):
        raise PermanentError("Mastodon: the instance registered no app", code="no_client")
    return Client(client_id, secret)


# --- the answers -------------------------------------------------------------------------------


def _grant(token: Mapping[str, Any], app: OAuthApp, now: dt.datetime) -> Grant:
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise PermanentError(f"{app.label}: the platform gave no access token", code="no_token")
    refresh_token = token.get("refresh_token")
    user_id = token.get("user_id") or token.get("open_id") or ""
    return Grant(
        access_token=access,
        refresh_token=refresh_token if isinstance(refresh_token, str) else "",
        access_expires_at=_expiry(token.get("expires_in"), app.access_lifetime, now),
        refresh_expires_at=_expiry(
            token.get("refresh_token_expires_in"),
            app.refresh_lifetime if refresh_token else None,
            now,
        ),
        user_id=str(user_id) if isinstance(user_id, str | int) else "",
        scope=str(token.get("scope") or ""),
    )


def _expiry(seconds: Any, documented: dt.timedelta | None, now: dt.datetime) -> dt.datetime | None:
    if isinstance(seconds, str) and seconds.isdigit():
        seconds = int(seconds)
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
        return now + dt.timedelta(seconds=seconds)
    return now + documented if documented else None


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
    body = _get_json(app, session, url, params)
    long = _grant(body, app, now)
    # The long-lived answer does not repeat who signed in.
    return replace(long, user_id=short.user_id, scope=short.scope)


def _tiktok_token(
    session: OAuth2Session, url: str, payload: Mapping[str, str], now: dt.datetime
) -> Grant:
    app = OAUTH_APPS["tiktok"]
    body = _request_json(
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
    return _grant(data, app, now)


def _unwrap_data_list(response: requests.Response) -> requests.Response:
    """Instagram Login answers the code with `{"data": [{access_token, user_id, …}]}`."""
    try:
        body = response.json()
    except ValueError:
        return response
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        response._content = json.dumps(data[0]).encode()
    return response


def _get_json(
    app: OAuthApp, session: OAuth2Session, url: str, params: Mapping[str, str]
) -> Mapping[str, Any]:
    return _request_json(
        app,
        lambda: session.get(
            url, params=dict(params), timeout=TIMEOUT, allow_redirects=False, withhold_token=True
        ),
    )


def _post_json(
    app: OAuthApp, session: OAuth2Session, url: str, form: Mapping[str, str]
) -> Mapping[str, Any]:
    return _request_json(
        app,
        lambda: session.post(
            url, data=dict(form), timeout=TIMEOUT, allow_redirects=False, withhold_token=True
        ),
    )


def _request_json(app: OAuthApp, send: Callable[[], requests.Response]) -> Mapping[str, Any]:
    try:
        response = send()
    except requests.RequestException as error:
        raise TransientError(f"{app.label}: the platform could not be reached ({error})") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(
            f"{app.label}: the platform answered HTTP {response.status_code}; try again",
            status=response.status_code,
        )
    if response.status_code >= 300 or not isinstance(body, Mapping):
        raise PermanentError(
            f"{app.label} refused: {_platform_words(body) or f'HTTP {response.status_code}'}",
            status=response.status_code,
        )
    return body


def _call(app: OAuthApp, fetch: Callable[[], Any]) -> Mapping[str, Any]:
    """Run an Authlib token request; its errors become the connectors' typed errors."""
    try:
        token = fetch()
    except OAuthError as error:
        words = clean_text(f"{error.error}: {error.description or ''}".strip(": "))[:300]
        raise PermanentError(f"{app.label} refused: {words}", code=str(error.error)[:60]) from None
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        body = None
        if error.response is not None:
            try:
                body = error.response.json()
            except ValueError:
                body = None
        words = _platform_words(body) or f"HTTP {status}"
        if status >= 500 or status == 429:
            raise TransientError(f"{app.label}: {words}; try again", status=status) from None
        raise PermanentError(f"{app.label} refused: {words}", status=status) from None
    except requests.RequestException as error:
        raise TransientError(f"{app.label}: the platform could not be reached ({error})") from None
    if not isinstance(token, Mapping):
        raise PermanentError(f"{app.label}: the token answer was not understood", code="no_token")
    return token


def _platform_words(body: Any) -> str:
    """The platform's own error message, from the envelopes the platforms use."""
    if not isinstance(body, Mapping):
        return ""
    error = body.get("error")
    if isinstance(error, Mapping):  # Graph, Google
        return clean_text(str(error.get("message") or ""))[:300]
    described = body.get("error_description") or body.get("message") or body.get("detail")
    if isinstance(error, str):
        return clean_text(f"{error}: {described}" if described else error)[:300]
    return clean_text(str(described or ""))[:300]
