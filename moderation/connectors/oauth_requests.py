"""Sending the OAuth token requests and reading their answers: the platforms' JSON and error
envelopes, and the token answer as a `Grant`. Failures become the connectors' typed errors
(transient: try again; permanent: a person must act)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from moderation.connectors.errors import PermanentError, TransientError
from moderation.connectors.oauth_apps import OAuthApp
from moderation.connectors.parsing import clean_text

TIMEOUT = (3.05, 15)


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


def grant_from(token: Mapping[str, Any], app: OAuthApp, now: dt.datetime) -> Grant:
    """The token answer as a `Grant`; where it gives no lifetime, the one the platform documents."""
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


def unwrap_data_list(response: requests.Response) -> requests.Response:
    """Instagram Login answers the code with `{"data": [{access_token, user_id, …}]}`."""
    try:
        body = response.json()
    except ValueError:
        return response
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        response._content = json.dumps(data[0]).encode()
    return response


def get_json(
    app: OAuthApp, session: OAuth2Session, url: str, params: Mapping[str, str]
) -> Mapping[str, Any]:
    return request_json(
        app,
        lambda: session.get(
            url, params=dict(params), timeout=TIMEOUT, allow_redirects=False, withhold_token=True
        ),
    )


def post_json(
    app: OAuthApp, session: OAuth2Session, url: str, form: Mapping[str, str]
) -> Mapping[str, Any]:
    return request_json(
        app,
        lambda: session.post(
            url, data=dict(form), timeout=TIMEOUT, allow_redirects=False, withhold_token=True
        ),
    )


def request_json(app: OAuthApp, send: Callable[[], requests.Response]) -> Mapping[str, Any]:
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


def run_token_request(app: OAuthApp, fetch: Callable[[], Any]) -> Mapping[str, Any]:
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
