"""Which connector serves which platform, and the capability table the console reads.

`CAPABILITIES` is built from the platform modules' own tables and needs no network, so views can
decide which buttons to show without touching a platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from moderation.connectors.base import (
    PLATFORMS,
    BaseConnector,
    Capabilities,
    ChannelConfig,
    Connector,
)
from moderation.connectors.bluesky import BlueskyConnector
from moderation.connectors.errors import PermanentError
from moderation.connectors.facebook import FacebookConnector
from moderation.connectors.http import HttpClient
from moderation.connectors.instagram import InstagramConnector
from moderation.connectors.linkedin import LinkedInConnector
from moderation.connectors.mastodon import MastodonConnector
from moderation.connectors.threads import ThreadsConnector
from moderation.connectors.tiktok import TikTokConnector
from moderation.connectors.x import XConnector
from moderation.connectors.youtube import YouTubeConnector

CONNECTORS: Mapping[str, type[BaseConnector]] = MappingProxyType(
    {
        connector.platform: connector
        for connector in (
            FacebookConnector,
            InstagramConnector,
            YouTubeConnector,
            XConnector,
            LinkedInConnector,
            ThreadsConnector,
            TikTokConnector,
            MastodonConnector,
            BlueskyConnector,
        )
    }
)
if tuple(CONNECTORS) != PLATFORMS:
    raise RuntimeError("every platform in PLATFORMS needs exactly one connector, in order")

CAPABILITIES: Mapping[str, Capabilities] = MappingProxyType(
    {slug: connector.capabilities for slug, connector in CONNECTORS.items()}
)


def get_connector(config: ChannelConfig, http: HttpClient | None = None) -> Connector:
    connector = CONNECTORS.get(config.platform)
    if connector is None:
        raise PermanentError(
            f"No connector for platform {config.platform!r}", code="unknown_platform"
        )
    return connector(config, http)
