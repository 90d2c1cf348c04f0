"""What each channel's platform allows, and how to reach it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from moderation.connectors.base import Capabilities, ChannelConfig, Connector
from moderation.connectors.errors import PermanentError
from moderation.connectors.hosts import (
    AddressRefused,
    check_api_address,
    is_federated,
    public_address_session,
)
from moderation.connectors.http import HttpClient
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


def connector_for(channel: Channel, *, backfill_days: int | None = None) -> Connector:
    """The channel's connector; ``backfill_days`` widens the window a reconnected channel reads
    back (moderation/tokens.py)."""
    channel_id = channel.pk
    base_url = base_url_for(channel)
    http = http_client_for(channel.platform, base_url)

    def keep_refreshed(credentials: Mapping[str, str]) -> None:
        from moderation.actions.configuration import do_record_refreshed_credentials

        do_record_refreshed_credentials(channel_id, credentials)

    config = ChannelConfig(
        platform=channel.platform,
        account_id=channel.account_id,
        credentials=decrypt_credentials(channel.credentials),
        base_url=base_url,
        backfill_days=backfill_days or channel.backfill_days,
        api_version=api_version_for(channel.platform),
        on_refresh=keep_refreshed,
        refresh_lock=lambda: one_refresh_at_a_time(channel_id),
    )
    return get_connector(config, http)


# The console's verbs that reach a platform, and the capability each needs there.
VERB_CAPABILITY = {
    "hide": "hide",
    "unhide": "unhide",
    "remove": "delete",
    "reject": "reject",
    "block": "block",
}
# How a platform takes an action back, where it can.
OPPOSITE_CAPABILITY = {"hide": "unhide", "block": "unblock"}


def permanent_because(channel: Channel, verb: str) -> str:
    """Why ``verb`` on this channel's platform cannot be undone, or "" when it can be.

    A removal is permanent on every platform (none restores a deleted or rejected comment), and
    so is rejecting a comment the platform held; a hide or a block is permanent where the
    platform has no unhide or unblock.
    """
    caps = capabilities_for(channel)
    if verb in ("remove", "reject"):
        capability = VERB_CAPABILITY[verb]
        if not caps.allows(capability):
            return ""  # refused anyway, with the platform's reason
        return caps.notes.get(capability) or "A removed comment cannot be restored."
    capability, opposite = VERB_CAPABILITY.get(verb, ""), OPPOSITE_CAPABILITY.get(verb, "")
    if opposite and caps.allows(capability) and not caps.allows(opposite):
        return " ".join(
            note for note in (caps.notes.get(capability), caps.notes.get(opposite)) if note
        )
    return ""
