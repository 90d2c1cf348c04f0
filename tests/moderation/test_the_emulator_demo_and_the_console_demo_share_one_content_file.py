"""`python -m moderation.emulator --demo` and `manage.py run_demo` seed the same world: the posts
and comments of ``moderation/demo/content.json``, under the channels' own account ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from moderation.emulator import Emulator
from moderation.emulator.demo import seed_demo

CONTENT = Path(__file__).resolve().parents[2] / "moderation" / "demo" / "content.json"


def test_the_emulator_demo_holds_every_comment_of_the_content_file_under_its_channel() -> None:
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    channels = {c["key"]: c for c in content["channels"]}
    posts = {p["key"]: p for p in content["posts"]}
    expected = {
        (channels[posts[c["post"]]["channel"]]["platform"], c["platform_id"])
        for c in content["comments"]
    }
    with Emulator.start() as emulator:
        count = seed_demo(emulator, datetime(2026, 3, 6, 16, tzinfo=UTC))
        seeded = {(c["platform"], c["id"]) for c in emulator.state()["comments"]}
    assert count == len(content["comments"])
    # X ids are renumbered by time (see Emulator.add_comment); every other id is kept.
    assert {k for k in seeded if k[0] != "x"} == {k for k in expected if k[0] != "x"}
    assert len(seeded) == len(expected)
