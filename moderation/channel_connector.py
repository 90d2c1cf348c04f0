"""A stored channel's connector, ready to call its platform.

Its credentials decrypted, its API address checked before a token goes there, one token refresh
at a time across workers, and a refreshed token kept at once (an audited action). Workers use it
(the poll, the outbox, webhook subscriptions); web requests never call a platform.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from moderation.actions.channels import do_record_refreshed_credentials
from moderation.actions.outbox import connector_actor
from moderation.bluesky_client import ClientNotSetUp, client_authentication
from moderation.connectors.base import ChannelConfig, Connector
from moderation.connectors.bluesky_oauth_session import FLOW as BLUESKY_OAUTH
from moderation.connectors.errors import PermanentError
from moderation.connectors.hosts import (
    AddressRefused,
    check_api_address,
    is_federated,
    public_address_session,
)
from moderation.connectors.http import HttpClient
from moderation.connectors.registry import get_connector
from moderation.credentials import decrypt_credentials
from moderation.models import Channel


def base_url_for(channel: Channel) -> str:
    if channel.base_url:
        return channel.base_url
    if settings.PLATFORM_BASE_URL:
        return f"{settings.PLATFORM_BASE_URL.rstrip('/')}/{channel.platform}"
    return ""


def api_version_for(platform: str) -> str:
    """The API version the deployment's settings name for a platform ("" = the connector's)."""
    if platform in ("facebook", "instagram"):
        return str(settings.GRAPH_API_VERSION)
    if platform == "linkedin":
        return str(settings.LINKEDIN_API_VERSION)
    return ""


# The advisory lock space of token refreshes: (this, channel id). The audit chain's lock is a
# single bigint key, a separate space.
REFRESH_LOCK_SPACE = 0x5A4D


@contextmanager
def one_refresh_at_a_time(channel_id: int) -> Iterator[Mapping[str, str] | None]:
    """Hold the channel's refresh lock; give its credentials as stored once it is held.

    A session lock, not a transaction: the token endpoint is called while it is held, and no
    transaction should stay open across a platform call. The embedded SQLite demo runs one job
    at a time and needs none.
    """
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [REFRESH_LOCK_SPACE, channel_id])
    try:
        stored = Channel.objects.filter(pk=channel_id).values_list("credentials", flat=True).first()
        yield decrypt_credentials(stored) if stored else None
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [REFRESH_LOCK_SPACE, channel_id])


def http_client_for(platform: str, base_url: str) -> HttpClient | None:
    """The HTTP client for calls to ``base_url``, after checking that the channel's token may go
    there (connectors/hosts.py). None: the connector's default client will do."""
    emulator = settings.PLATFORM_BASE_URL
    try:
        check_api_address(platform, base_url, emulator_base=emulator)
    except AddressRefused as refused:
        raise PermanentError(
            f"The channel's API address was refused: {refused}", code="address_refused"
        ) from None
    if is_federated(platform) and not (emulator and base_url.startswith(emulator)):
        # The instance's name is the admin's choice: check the address it resolves to as the
        # connection is made.
        return HttpClient(session=public_address_session())
    return None


def bluesky_client_authentication(issuer: str) -> Mapping[str, str]:
    """The console's OAuth client proving itself to a Bluesky authorisation server."""
    try:
        return client_authentication(issuer)
    except ClientNotSetUp as error:
        raise PermanentError(f"Bluesky sign-in is not set up: {error}", code="no_client") from None


def connector_for(channel: Channel, *, backfill_days: int | None = None) -> Connector:
    """The channel's connector; ``backfill_days`` widens the window a reconnected channel reads
    back (moderation/tokens.py)."""
    channel_id = channel.pk
    base_url = base_url_for(channel)
    http = http_client_for(channel.platform, base_url)

    actor = connector_actor(channel)

    def keep_refreshed(credentials: Mapping[str, str]) -> None:
        do_record_refreshed_credentials(channel_id, credentials, actor=actor)

    config = ChannelConfig(
        platform=channel.platform,
        account_id=channel.account_id,
        credentials=decrypt_credentials(channel.credentials),
        base_url=base_url,
        backfill_days=backfill_days or channel.backfill_days,
        api_version=api_version_for(channel.platform),
        on_refresh=keep_refreshed,
        refresh_lock=lambda: one_refresh_at_a_time(channel_id),
        client_authentication=(
            bluesky_client_authentication if channel.connected_with == BLUESKY_OAUTH else None
        ),
    )
    return get_connector(config, http)
