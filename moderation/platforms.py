"""What each channel's platform allows, and how to reach it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from moderation.connectors.base import Capabilities, ChannelConfig, Connector
from moderation.connectors.registry import CAPABILITIES, get_connector
from moderation.credentials import decrypt_credentials
from moderation.models import Channel

NO_CAPABILITIES = Capabilities(
    hide=False,
    unhide=False,
    delete=False,
    reply=False,
    block=False,
    unblock=False,
    webhooks=False,
    notes={"all": "Imported comments have no platform connection: act on them by hand."},
)


def capabilities_for(channel: Channel) -> Capabilities:
    return CAPABILITIES.get(channel.platform, NO_CAPABILITIES)


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
def _one_refresh_at_a_time(channel_id: int) -> Iterator[Mapping[str, str] | None]:
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


def connector_for(channel: Channel) -> Connector:
    channel_id = channel.pk

    def keep_refreshed(credentials: Mapping[str, str]) -> None:
        from moderation.actions.configuration import do_record_refreshed_credentials

        do_record_refreshed_credentials(channel_id, credentials)

    config = ChannelConfig(
        platform=channel.platform,
        account_id=channel.account_id,
        credentials=decrypt_credentials(channel.credentials),
        base_url=base_url_for(channel),
        backfill_days=channel.backfill_days,
        api_version=api_version_for(channel.platform),
        on_refresh=keep_refreshed,
        refresh_lock=lambda: _one_refresh_at_a_time(channel_id),
    )
    return get_connector(config)
