"""What each channel's platform allows (how to reach it: ``moderation.channel_connector``)."""

from __future__ import annotations

from moderation.connectors.base import Capabilities
from moderation.connectors.registry import CAPABILITIES
from moderation.models import Channel

NO_CAPABILITIES = Capabilities(
    hide=False,
    unhide=False,
    remove=False,
    reply=False,
    block=False,
    unblock=False,
    webhooks=False,
    notes={"all": "Imported comments have no platform connection: act on them by hand."},
)


def capabilities_for(channel: Channel) -> Capabilities:
    return CAPABILITIES.get(channel.platform, NO_CAPABILITIES)


# The console's verbs that reach a platform, and the capability each needs there.
VERB_CAPABILITY = {
    "hide": "hide",
    "unhide": "unhide",
    "remove": "remove",
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
