"""A Bluesky channel connected with OAuth: its calls to the PDS, DPoP-bound, and its renewal.

Credentials (`auth` = "oauth"): `access_token`, `refresh_token`, `dpop_key` (the session's
private ES256 key, as a JWK), `issuer` and `token_endpoint` (the authorisation server found
when connecting), `client_id`, and `access_token_expires_at`. `ChannelConfig.base_url` is the
account's PDS.

Each call carries `Authorization: DPoP <token>` and a fresh proof with `ath`
(`atproto_oauth.DpopSession`). The access token (minutes long) is renewed `RENEW_AHEAD` before
its end, or when the PDS answers `invalid_token`, under the channel's refresh lock: a worker
that finds another has already renewed takes the stored tokens; otherwise it spends the
single-use refresh token at the token endpoint, authenticating as the console
(`ChannelConfig.client_authentication`, the `private_key_jwt` assertion, or only its
`client_id` for a public client), and hands the new pair to `ChannelConfig.on_refresh` at once.
Server nonces are kept per connector; the first call of each poll may be refused once for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import Any

from moderation.connectors.atproto_identity import AuthorizationServer
from moderation.connectors.atproto_oauth import DpopSession, Tokens, refresh_tokens
from moderation.connectors.base import ChannelConfig
from moderation.connectors.errors import PermanentError
from moderation.connectors.http import HttpClient, HttpResponse, PlatformError

# `Channel.connected_with` for a Bluesky channel connected this way.
FLOW = "bluesky_oauth"
RENEW_AHEAD = dt.timedelta(seconds=60)
DEAD_TOKEN_ERRORS = frozenset({"invalid_token", "InvalidToken", "ExpiredToken"})


def session_credentials(
    tokens: Tokens, dpop: DpopSession, server: AuthorizationServer, client_id: str
) -> dict[str, str]:
    """What a channel connected with OAuth keeps (encrypted, like every credential)."""
    return {
        "auth": "oauth",
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "access_token_expires_at": dt.datetime.fromtimestamp(tokens.expires_at, dt.UTC).isoformat(),
        "dpop_key": dpop.dump(),
        "issuer": server.issuer,
        "token_endpoint": server.token_endpoint,
        "client_id": client_id,
    }


def uses_oauth(credentials: Mapping[str, str]) -> bool:
    return credentials.get("auth") == "oauth" and bool(credentials.get("dpop_key"))


class OAuthSession:
    def __init__(
        self,
        config: ChannelConfig,
        http: HttpClient,
        error_parser: Callable[[HttpResponse], PlatformError | None],
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.config = config
        self.http = http
        self.error_parser = error_parser
        self.clock = clock
        self.credentials = dict(config.credentials)
        self.dpop = DpopSession.load(self.credentials["dpop_key"])

    def request(self, method: str, url: str, **kwargs: Any) -> HttpResponse:
        """One PDS call with the session's token, renewed first if it is about to end."""
        if self._ends_soon():
            self.renew(expired=self.credentials.get("access_token", ""))
        token = self.credentials.get("access_token", "")
        try:
            return self._send(method, url, token, **kwargs)
        except PermanentError as error:
            if error.code not in DEAD_TOKEN_ERRORS:
                raise
            self.renew(expired=token, cause=error)
        return self._send(method, url, self.credentials["access_token"], **kwargs)

    def _send(self, method: str, url: str, token: str, **kwargs: Any) -> HttpResponse:
        kwargs.pop("idempotent", None)  # a proof is good for one sending: never resent as it is
        return self.dpop.request(
            self.http, method, url, access_token=token, error_parser=self.error_parser, **kwargs
        )

    def _ends_soon(self) -> bool:
        ends = self.credentials.get("access_token_expires_at", "")
        try:
            moment = dt.datetime.fromisoformat(ends.replace("Z", "+00:00"))
        except ValueError:
            return False
        return moment.tzinfo is not None and moment - self.clock() <= RENEW_AHEAD

    def renew(self, expired: str, cause: PermanentError | None = None) -> None:
        lock = self.config.refresh_lock
        with lock() if lock is not None else nullcontext() as stored:
            current = stored.get("access_token", "") if stored else ""
            if current and current != expired:
                self.credentials = {**self.credentials, **(stored or {})}  # renewed by another
                return
            issuer = self.credentials.get("issuer", "")
            authenticate = self.config.client_authentication
            fields = (
                dict(authenticate(issuer))
                if authenticate is not None
                else {"client_id": self.credentials.get("client_id", "")}
            )
            try:
                tokens = refresh_tokens(
                    self.http,
                    fields,
                    self.credentials.get("token_endpoint", ""),
                    self.dpop,
                    self.credentials.get("refresh_token", ""),
                    self.config.account_id,
                )
            except PermanentError as error:
                said = f"{cause.message}; " if cause is not None else ""
                raise PermanentError(
                    f"{said}Bluesky refused to renew the channel's OAuth session "
                    f"({error.message}): reconnect it",
                    status=error.status,
                    code="ExpiredToken",
                ) from error
            ends = dt.datetime.fromtimestamp(tokens.expires_at, dt.UTC)
            self.credentials.update(
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                access_token_expires_at=ends.isoformat(),
            )
            if self.config.on_refresh is not None:
                self.config.on_refresh(dict(self.credentials))
