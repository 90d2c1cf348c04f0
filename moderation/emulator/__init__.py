"""A local stand-in for the nine platforms' APIs, for tests, the demo and benchmarks.

It answers on one port with a path prefix per platform, in the shapes the platforms document
(see `/work/shared/reference/platform-apis.md` and docs/connectors.md), keeps an in-memory
world of posts, comments and moderation state, and can be told to fail on purpose. No Django.

    emulator = Emulator.start(port=0)
    emulator.add_comment("facebook", "999", "999_1", "Bins not collected again")
    config = ChannelConfig("facebook", "999", {"access_token": "t"},
                           base_url=emulator.base_url("facebook"))

Run it on its own with `python -m moderation.emulator --port 8765 [--demo]`.
"""

from moderation.emulator.server import PLATFORM_APIS, Emulator
from moderation.emulator.store import FAULT_KINDS, Author

__all__ = ["FAULT_KINDS", "PLATFORM_APIS", "Author", "Emulator"]
