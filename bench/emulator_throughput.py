"""Connector-through-emulator throughput: comments read per second, end to end over HTTP.

Client and emulator in one process; N comments over 10 posts per platform are fetched by the
platform's connector until it is caught up, and `comments/s = N / elapsed` (best of the runs).
With `--compare PATH`, the same measurement runs alternately against another checkout's emulator
and connectors (e.g. `git worktree add /tmp/before main`), so both figures come from one run.

    python bench/emulator_throughput.py [--count 20000] [--runs 3] [--platform facebook …]
                                        [--compare /tmp/before]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = (
    "facebook", "instagram", "youtube", "x", "linkedin", "threads", "tiktok", "mastodon", "bluesky"
)  # fmt: skip
ACCOUNTS = {
    "facebook": "999",
    "instagram": "17841400000000999",
    "youtube": "UCcouncil0000000000000001",
    "x": "1001",
    "linkedin": "urn:li:organization:2414183",
    "threads": "25000000000000999",
    "tiktok": "bus-7300000000000000999",
    "mastodon": "109000000000000999",
    "bluesky": "did:plc:council0000000000000001",
}


def measure(platform: str, count: int) -> float:
    """Comments per second for one platform, in this process (the checkout on sys.path)."""
    import random

    from moderation.connectors.base import ChannelConfig
    from moderation.connectors.http import HttpClient
    from moderation.connectors.registry import CONNECTORS
    from moderation.emulator import Emulator

    account = ACCOUNTS[platform]
    with Emulator.start() as emulator:
        posts = [emulator.add_post(platform, account, text=f"Post {n}") for n in range(10)]
        for n in range(count):
            emulator.add_comment(platform, account, posts[n % 10], f"Comment {n}")
        credentials = {"access_token": "token"}
        if platform == "bluesky":
            credentials = {"identifier": account, "password": "app-password"}
        config = ChannelConfig(platform, account, credentials, base_url=emulator.base_url(platform))
        connector = CONNECTORS[platform](config, HttpClient(rng=random.Random(7)))
        seen, cursor = 0, None
        started = time.perf_counter()
        while True:
            page = connector.fetch_comments(cursor)
            seen += len(page.comments)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        elapsed = time.perf_counter() - started
    if seen != count:
        raise SystemExit(f"{platform}: read {seen} of {count} comments")
    return count / elapsed


def in_checkout(checkout: Path, platform: str, count: int) -> float:
    """`measure` in a fresh process importing `checkout`'s code."""
    out = subprocess.run(
        [sys.executable, __file__, "--inside", platform, "--count", str(count)],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout), "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--platform", action="append", choices=PLATFORMS)
    parser.add_argument("--compare", type=Path, help="another checkout, measured alternately")
    parser.add_argument("--inside", choices=PLATFORMS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smpolicy.settings")
        django.setup()
        print(measure(args.inside, args.count))
        return 0
    checkouts = {"this": ROOT, **({"compare": args.compare.resolve()} if args.compare else {})}
    results: dict[str, dict[str, float]] = {}
    for platform in args.platform or PLATFORMS:
        for name in checkouts:
            results.setdefault(name, {})[platform] = 0.0
        for _ in range(args.runs):
            for name, checkout in checkouts.items():
                rate = in_checkout(checkout, platform, args.count)
                results[name][platform] = max(results[name][platform], rate)
        line = "  ".join(f"{n} {results[n][platform]:,.0f}/s" for n in checkouts)
        print(f"{platform:>10}: {line}", flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
