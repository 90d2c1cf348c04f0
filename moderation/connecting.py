"""Connecting a channel in the browser: the Django side of `connectors/authorization.py`.

The steps, and where each runs:

1. **Start** (a POST from Settings → Channels → Connect): the authorisation URL is built with a
   fresh `state` and, where the platform takes one, a PKCE verifier; both are kept in the
   admin's own session (`SESSION_KEY`), keyed by the state, and the browser is sent to the
   platform. For Mastodon, the console first registers itself as an app on the instance the
   admin typed (once per instance; `do_register_mastodon_app`).
2. **Callback** (the platform sends the browser back to `OAUTH_REDIRECT_URL`): the `state` must
   be one this session started and not yet used (otherwise the request did not come from this
   admin's own sign-in: refused, nothing stored). The code is exchanged for tokens and the
   accounts the person manages are listed. These are HTTP calls made during the request but
   outside any database transaction: the request is the admin's own browser coming back from
   the platform, they wait for it, and nothing is held open meanwhile; the results are then
   stored by one audited action (`do_record_authorization`, or `do_reconnect_channel`).
3. **Choose**: the admin picks which accounts become channels (`do_connect_authorized_accounts`).

Bluesky connects with an app password (see docs/connectors.md for why not OAuth yet).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import User
from moderation.actions.connections import do_register_mastodon_app
from moderation.connectors.accounts import Account, Lookup, bluesky_account, discover
from moderation.connectors.authorization import (
    AuthorizationRequest,
    Client,
    Place,
    authorization_request,
    exchange_code,
    register_mastodon_app,
)
from moderation.connectors.errors import ConnectorError, PermanentError
from moderation.connectors.hosts import AddressRefused, check_api_address, public_address_session
from moderation.connectors.http import HttpClient
from moderation.connectors.oauth_apps import OAUTH_APPS, OAuthApp
from moderation.credentials import decrypt_credentials
from moderation.models import Channel, MastodonApp

SESSION_KEY = "channel_connections"
# A sign-in left unfinished this long is forgotten.
STARTED_FOR_SECONDS = 15 * 60
MAX_STARTED = 5
DEFAULT_GRAPH_VERSION = "v25.0"
# The emulator's stand-in app, used when the deployment names the emulator and no real app.
EMULATOR_CLIENT = Client("emulator-app", "emulator-secret")


class ConnectionRefused(ValueError):
    """The connection could not be made; the message says why, in plain words."""


def place(instance: str = "") -> Place:
    return Place(
        graph_version=str(getattr(settings, "GRAPH_API_VERSION", "") or DEFAULT_GRAPH_VERSION),
        instance=instance,
        emulator=settings.PLATFORM_BASE_URL,
    )


def app_client(app: OAuthApp) -> Client | None:
    """The deployment's registered app for this way of connecting, or None if not set up."""
    client_id, secret = settings.OAUTH_CLIENTS.get(app.settings_prefix, ("", ""))
    if client_id and (secret or app.flow == "x"):
        return Client(client_id, secret)
    if settings.PLATFORM_BASE_URL:
        return EMULATOR_CLIENT
    return None


def missing_settings(app: OAuthApp) -> list[str]:
    """The environment variables still to set before this way of connecting works."""
    if not app.settings_prefix or app_client(app) is not None:
        return []
    names = [f"{app.settings_prefix}_CLIENT_ID"]
    if app.flow != "x":  # X also takes public clients, which have no secret
        names.append(f"{app.settings_prefix}_CLIENT_SECRET")
    return names


def redirect_uri(request: HttpRequest) -> str:
    if settings.OAUTH_REDIRECT_URL:
        return str(settings.OAUTH_REDIRECT_URL)
    return request.build_absolute_uri(reverse("moderation:connect_callback"))


# --- 1. Start -----------------------------------------------------------------------------------


def start(
    request: HttpRequest, flow: str, *, channel: Channel | None = None, instance: str = ""
) -> str:
    """Remember a new sign-in in this session and return the platform's URL to send them to."""
    app = OAUTH_APPS.get(flow)
    if app is None:
        raise ConnectionRefused("Unknown way of connecting.")
    if channel is not None and channel.platform != app.platform:
        raise ConnectionRefused(f"{channel.name} is not a {app.label} channel.")
    uri = redirect_uri(request)
    if flow == "mastodon":
        instance = mastodon_instance(instance or (channel.base_url if channel else ""))
        client = _mastodon_client(instance, uri, request)
    else:
        found = app_client(app)
        if found is None:
            raise ConnectionRefused(
                f"{app.label} is not set up for this console yet: ask whoever runs it to set "
                + " and ".join(missing_settings(app))
                + " (docs/connectors.md says how)."
            )
        client = found
    authorisation = authorization_request(app, client, uri, place(instance))
    authorisation = _with_login_configuration(app, authorisation)
    started = started_sign_ins(request)
    started[authorisation.state] = {
        "flow": flow,
        "verifier": authorisation.code_verifier,
        "channel": channel.pk if channel else None,
        "instance": instance,
        "at": time.time(),
    }
    keep_sign_ins(request, started)
    return authorisation.url


def _with_login_configuration(
    app: OAuthApp, authorisation: AuthorizationRequest
) -> AuthorizationRequest:
    """Facebook Login for Business names its permissions in a configuration made in the app
    dashboard; with `FACEBOOK_LOGIN_CONFIG_ID` set, the dialog is sent that configuration."""
    config_id = settings.FACEBOOK_LOGIN_CONFIG_ID
    if app.settings_prefix != "FACEBOOK" or not config_id:
        return authorisation

    return AuthorizationRequest(
        url=f"{authorisation.url}&{urlencode({'config_id': config_id})}",
        state=authorisation.state,
        code_verifier=authorisation.code_verifier,
    )


def mastodon_instance(typed: str) -> str:
    """The instance address an admin typed, as `https://host`, checked like an API address."""
    value = typed.strip().rstrip("/")
    if value and "://" not in value:
        value = f"https://{value.lstrip('@').split('@')[-1]}"
    if not value:
        raise ConnectionRefused("Enter the Mastodon instance, e.g. mastodon.social.")
    try:
        check_api_address("mastodon", value)
    except AddressRefused as refused:
        raise ConnectionRefused(str(refused)) from None
    return value


def _mastodon_client(instance: str, uri: str, request: HttpRequest) -> Client:
    known = MastodonApp.objects.filter(instance=instance, redirect_uri=uri).first()
    if known is not None:
        stored = decrypt_credentials(known.credentials)
        return Client(stored["client_id"], stored["client_secret"])
    try:
        client = register_mastodon_app(
            instance,
            uri,
            place(instance),
            client_name="smpolicy (council moderation)",
            public_only=not settings.PLATFORM_BASE_URL,
        )
    except ConnectorError as error:
        raise ConnectionRefused(f"{instance} did not register the console: {error}") from None
    assert isinstance(request.user, User)
    do_register_mastodon_app(instance, uri, client, actor=request.user)
    return client


def started_sign_ins(request: HttpRequest, key: str = SESSION_KEY) -> dict[str, dict[str, Any]]:
    """The sign-ins this session started (under ``key``) that are not yet too old, by state."""
    now = time.time()
    started = dict(request.session.get(key, {}))
    return {
        state: entry
        for state, entry in started.items()
        if now - float(entry.get("at", 0)) < STARTED_FOR_SECONDS
    }


def keep_sign_ins(
    request: HttpRequest, started: dict[str, dict[str, Any]], key: str = SESSION_KEY
) -> None:
    """Keep the newest few sign-ins in the session."""
    newest = sorted(started.items(), key=lambda item: item[1]["at"])[-MAX_STARTED:]
    request.session[key] = dict(newest)


# --- 2. Callback ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authorised:
    flow: str
    accounts: list[Account]
    channel_id: int | None


def finish(request: HttpRequest) -> Authorised:
    """Check the callback's `state`, exchange the code and list the accounts (no transaction)."""
    state = request.GET.get("state", "")
    started = started_sign_ins(request)
    entry = started.pop(state, None) if state else None
    keep_sign_ins(request, started)  # a state is good for one callback only
    if entry is None:
        raise ConnectionRefused(
            "This sign-in was not started from this console session, or has expired. Start "
            "again from Settings → Channels → Connect."
        )
    app = OAUTH_APPS[entry["flow"]]
    if request.GET.get("error"):
        reason = request.GET.get("error_description") or request.GET.get("error")
        raise ConnectionRefused(f"{app.label} did not grant access: {str(reason)[:200]}")
    code = request.GET.get("code", "")
    if not code:
        raise ConnectionRefused(f"{app.label} sent no authorisation code back.")
    instance = str(entry.get("instance") or "")
    where = place(instance)
    client = _client_again(app, instance, redirect_uri(request))
    public_only = app.flow == "mastodon" and not settings.PLATFORM_BASE_URL
    try:
        grant = exchange_code(
            app,
            client,
            redirect_uri(request),
            code,
            where,
            code_verifier=str(entry.get("verifier") or ""),
            public_only=public_only,
        )
        with HttpClient(session=public_address_session() if public_only else None) as http:
            accounts = discover(
                Lookup(
                    app,
                    client,
                    grant,
                    where,
                    http,
                    linkedin_version=str(getattr(settings, "LINKEDIN_API_VERSION", "") or ""),
                )
            )
    except ConnectorError as error:
        raise ConnectionRefused(str(error)) from None
    if not accounts:
        raise ConnectionRefused(
            f"The {app.label} account you signed in with manages nothing this console can "
            "connect. Sign in as someone with admin rights on the Page or account."
        )
    return Authorised(app.flow, accounts, entry.get("channel"))


def _client_again(app: OAuthApp, instance: str, uri: str) -> Client:
    if app.flow == "mastodon":
        known = MastodonApp.objects.filter(instance=instance, redirect_uri=uri).first()
        if known is None:
            raise ConnectionRefused("The console is no longer registered on that instance.")
        stored = decrypt_credentials(known.credentials)
        return Client(stored["client_id"], stored["client_secret"])
    client = app_client(app)
    if client is None:
        raise ConnectionRefused(f"{app.label} is not set up for this console.")
    return client


# --- Bluesky ----------------------------------------------------------------------------------


def bluesky_sign_in(identifier: str, password: str, server: str = "") -> Account:
    """Check a Bluesky handle and app password by opening one session; the account it names."""
    base = server.strip().rstrip("/") or "https://bsky.social"
    if settings.PLATFORM_BASE_URL and not server:
        base = f"{settings.PLATFORM_BASE_URL.rstrip('/')}/bluesky"
    try:
        check_api_address("bluesky", base, emulator_base=settings.PLATFORM_BASE_URL)
    except AddressRefused as refused:
        raise ConnectionRefused(str(refused)) from None
    emulated = bool(settings.PLATFORM_BASE_URL) and base.startswith(settings.PLATFORM_BASE_URL)
    try:
        with HttpClient(session=None if emulated else public_address_session()) as http:
            account = bluesky_account(http, base, identifier.strip(), password.strip())
    except PermanentError as error:
        raise ConnectionRefused(f"Bluesky refused the sign-in: {error}") from None
    except ConnectorError as error:
        raise ConnectionRefused(f"Bluesky could not be reached: {error}") from None
    if server and not emulated:
        return replace(account, base_url=base)
    return account
