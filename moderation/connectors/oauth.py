"""Refreshing an expired OAuth 2.0 access token with the channel's refresh token (RFC 6749 §6).

YouTube's (Google's) access tokens last about an hour and X's two hours. A channel connected
with a `refresh_token` and the app's `client_id` (and `client_secret` for a confidential client)
keeps working: when the platform answers 401, the connector asks the platform's token endpoint
for a new access token, once, and sends the request again. The new credentials go to the
`on_refresh` callback of the channel's configuration (`moderation.channel_connector.connector_for`
saves them, encrypted and audited), because X issues a new refresh token each time and the old
one stops working. A refused refresh token is a permanent error: the channel must be
reconnected.

Endpoints (from the platforms' documentation, not in `platform-apis.md`):
- Google: `POST https://oauth2.googleapis.com/token`, form `grant_type=refresh_token`,
  `refresh_token`, `client_id`, `client_secret`; answers `access_token`, `expires_in`.
- X: `POST https://api.x.com/2/oauth2/token`, form `grant_type=refresh_token`,
  `refresh_token`, and `client_id` in the form (public client) or HTTP Basic client
  authentication (confidential client); answers `access_token` and a new `refresh_token`.

Two workers can meet a 401 on the same channel at once (a poll and a hide, say, when the token
expires). X would refuse the second use of its refresh token, and the channel would stay broken
until reconnected. So a refresh runs under the configuration's `refresh_lock` (a PostgreSQL
advisory lock per channel, from `connector_for`), and a connector that finds the stored access
token already changed by the time it holds the lock uses that one instead of refreshing again.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any
from urllib.parse import quote

from moderation.connectors.base import BaseConnector, ChannelConfig
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError
from moderation.connectors.parsing import clean_text

log = logging.getLogger(__name__)


class OAuthConnector(BaseConnector):
    """A connector whose access token may be refreshed; subclasses give `token_url`."""

    # "basic": the client id and secret go in an Authorization header (X's confidential
    # clients); "body": in the form (Google).
    token_client_auth: str = "body"

    def __init__(
        self, config: ChannelConfig, http: HttpClient | None = None, **kwargs: Any
    ) -> None:
        super().__init__(config, http, **kwargs)
        self.credentials: dict[str, str] = dict(config.credentials)

    def token_url(self) -> str:
        raise NotImplementedError

    def access_token(self) -> str:
        token = self.credentials.get("access_token", "")
        if not token:
            raise PermanentError(
                f"{self.label}: this channel has no access token; reconnect it in Channels",
                code="no_token",
            )
        return token

    def can_refresh(self) -> bool:
        return bool(self.credentials.get("refresh_token") and self.credentials.get("client_id"))

    def token_expired(self, error: PermanentError) -> bool:
        """Whether the platform refused the access token as expired (most answer 401)."""
        return error.status == 401

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        try:
            return super().call(method, path, **kwargs)
        except PermanentError as error:
            if not self.token_expired(error) or not self.can_refresh():
                raise
            log.info("%s answered 401; refreshing the access token", self.label)
            self.refresh_access_token(expired=self.credentials.get("access_token", ""))
        return super().call(method, path, **kwargs)

    def refresh_access_token(self, expired: str = "") -> None:
        """Get a new access token (and refresh token, where the platform rotates them), unless
        another worker has already replaced ``expired``, the token the platform refused."""
        lock = self.config.refresh_lock
        with lock() if lock is not None else nullcontext() as stored:
            current = stored.get("access_token", "") if stored else ""
            if expired and current and current != expired:
                log.info("%s: another worker refreshed the access token; using it", self.label)
                self.credentials = dict(stored or {})
                return
            self._refresh()

    def _refresh(self) -> None:
        credentials = self.credentials
        form = {"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"]}
        headers: dict[str, str] = {}
        client_id, secret = credentials["client_id"], credentials.get("client_secret", "")
        if self.token_client_auth == "basic" and secret:
            # RFC 6749 §2.3.1: each part form-encoded, then HTTP Basic.
            pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form["client_id"] = client_id
            if secret:
                form["client_secret"] = secret
        response = self.http.request(
            "POST",
            self.token_url(),
            data=form,
            headers=headers,
            error_parser=self._token_error,
            # A token endpoint that rotates refresh tokens must not get the old one twice.
            idempotent=False,
        )
        body = response.json()
        token = body.get("access_token") if isinstance(body, Mapping) else None
        if not isinstance(token, str) or not token:
            raise PermanentError(
                f"{self.label}: the token endpoint answered without an access token",
                status=response.status,
                code="no_token",
            )
        refreshed = {**credentials, "access_token": token}
        rotated = body.get("refresh_token")
        if isinstance(rotated, str) and rotated:
            refreshed["refresh_token"] = rotated
        self.credentials = refreshed
        if self.config.on_refresh is not None:
            self.config.on_refresh(refreshed)

    def _token_error(self, response: HttpResponse) -> PlatformError | None:
        body = response.json_or_none()
        error = body.get("error") if isinstance(body, Mapping) else None
        if response.ok and error is None:
            return None
        if not isinstance(error, str):
            return PlatformError(f"{self.label}: refreshing the access token failed")
        described = body.get("error_description") if isinstance(body, Mapping) else None
        detail = f": {clean_text(str(described))[:300]}" if described else ""
        return PlatformError(
            f"{self.label} refused to refresh the access token ({clean_text(error)[:60]}"
            f"{detail}); reconnect the channel in Channels",
            code=clean_text(error)[:60],
        )
