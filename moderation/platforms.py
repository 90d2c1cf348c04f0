"""What each channel's platform allows, and how to reach it."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

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
        on_refresh=keep_refreshed,
    )
    return get_connector(config)
