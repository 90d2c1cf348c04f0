"""`python -m moderation.emulator --port 8765 [--demo]`: run the platform emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from datetime import UTC, datetime

from moderation.emulator.demo import seed_demo
from moderation.emulator.server import PLATFORM_APIS, Emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local stand-in for the platforms' APIs.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--demo", action="store_true", help="seed the demo content (moderation/demo/content.json)"
    )
    options = parser.parse_args(argv)
    emulator = Emulator.start(port=options.port, host=options.host)
    if options.demo:
        seeded = seed_demo(emulator, datetime.now(UTC))
        print(f"Seeded {seeded} demo comments.", flush=True)
    for platform in PLATFORM_APIS:
        print(f"{platform:>10}: {emulator.base_url(platform)}")
    print(f"   control: {emulator.url}/_control/state", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopping.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
