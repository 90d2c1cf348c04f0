"""The console as a Bluesky OAuth client, from the deployment's settings: its `client_id` (the
URL of its client metadata document under `PUBLIC_URL`), its redirect URI and its signing key
(`BLUESKY_OAUTH_KEY`; without one it is a public client)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.conf import settings
from django.urls import reverse
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from moderation.connectors.atproto_oauth import ConsoleClient


class ClientNotSetUp(ValueError):
    """Bluesky sign-in cannot be used: the message says which setting to fix."""


def oauth_available() -> bool:
    return bool(settings.PUBLIC_URL)


def signing_key() -> ECKey | None:
    """The console's client key from BLUESKY_OAUTH_KEY, or None (a public client)."""
    if not settings.BLUESKY_OAUTH_KEY:
        return None
    try:
        key = ECKey.import_key(json.loads(settings.BLUESKY_OAUTH_KEY))
    except (JoseError, ValueError, TypeError) as error:
        raise ClientNotSetUp(f"BLUESKY_OAUTH_KEY is not an EC private JWK: {error}") from None
    if not key.is_private or not key.kid or key.as_dict().get("crv") != "P-256":
        raise ClientNotSetUp("BLUESKY_OAUTH_KEY must be a private P-256 key with a kid.")
    return key


def console_client() -> ConsoleClient:
    if not oauth_available():
        raise ClientNotSetUp("Bluesky sign-in needs the console's PUBLIC_URL to be set.")
    base = settings.PUBLIC_URL
    return ConsoleClient(
        client_id=base + reverse("bluesky_client_metadata"),
        redirect_uri=base + reverse("moderation:connect_bluesky_callback"),
        signing_key=signing_key(),
    )


def client_authentication(issuer: str) -> Mapping[str, str]:
    """For a connector renewing a session (ChannelConfig.client_authentication)."""
    return console_client().authentication(issuer)
