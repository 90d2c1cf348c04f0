"""The demo's running world: the platform emulator seeded with the demo content, new comments
arriving now and then, and the scheduler tick that polls channels and sends platform actions.

Used by `manage.py run_demo`; the emulator stands in for every platform, so hides, replies and
blocks made in the console visibly reach a "platform" (`/_control/state` on the emulator).
"""

from __future__ import annotations

import itertools
import logging
import random
import threading
import time
from typing import Any

from django.db import close_old_connections
from django.utils import timezone

from moderation.demo import load_content
from moderation.demo_loader import demo_anchor
from moderation.emulator import Emulator
from moderation.emulator.demo import seed_demo
from moderation.jobs import dispatch_due_work
from moderation.scheduler import beat

log = logging.getLogger(__name__)

# New comments that arrive while the demo runs, a mix of the ordinary and the not.
ARRIVALS = (
    ("Is the household recycling centre open on bank holiday Monday?", "ruth.b", "Ruth Bellamy"),
    (
        "Thank you to the crews who cleared the fallen tree on Mill Lane so quickly!",
        "tomw",
        "Tom W",
    ),
    ("This council is a f**king joke, three weeks and still no bin", "angrydave", "Dave Hurst"),
    (
        "Under the Freedom of Information Act please tell me how much was spent on consultants in "
        "2025.",
        "j.okoro",
        "Jude Okoro",
    ),
    (
        "My neighbour at 14 Foxglove Close EX4 7QT keeps dumping rubbish, ring her on 07700 900461",
        "nosy_ned",
        "Ned Parsons",
    ),
    ("Earn £500 a day from home!!! DM me or click https://bit.ly/3xQcash", "promo_kate", "Kate"),
    ("Vote Reform on polling day and get rid of this lot", "votechange", "Vote For Change"),
    ("When do the new parking permits start?", "sam.k", "Sam K"),
    (
        "I want to make a formal complaint about the way my planning objection was handled.",
        "m.hargreaves",
        "Margaret Hargreaves",
    ),
    ("Lovely to see the library reading challenge back, my two love it", "lisa_reads", "Lisa"),
)


def seed_emulator(emulator: Emulator) -> int:
    """Put the demo's posts and comments into the emulator under the same platform ids."""
    return seed_demo(emulator, demo_anchor(timezone.now()))


class DemoWorld:
    """Background threads for the demo: new arrivals and the scheduler tick."""

    def __init__(self, emulator: Emulator, *, tick: float = 5.0, arrival_every: float = 45.0):
        self.emulator = emulator
        self.tick = tick
        self.arrival_every = arrival_every
        self.stopping = threading.Event()
        self._arrivals = itertools.cycle(ARRIVALS)
        self._seq = itertools.count(1)
        self._random = random.Random(7)

    def start(self) -> None:
        threading.Thread(target=self._scheduler, name="demo-scheduler", daemon=True).start()
        threading.Thread(target=self._arriver, name="demo-arrivals", daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()

    def _scheduler(self) -> None:
        while not self.stopping.is_set():
            try:
                counts = dispatch_due_work()
                beat(counts)  # so the status page and /healthz see the demo's scheduler
                if any(counts.values()):
                    log.info("demo scheduler: %s", counts)
            except Exception:
                log.exception("demo scheduler tick failed")
            finally:
                close_old_connections()
            self.stopping.wait(self.tick)

    def _arriver(self) -> None:
        content = load_content()
        channels = content["channels"]
        posts_by_channel: dict[str, list[dict[str, Any]]] = {}
        for post in content["posts"]:
            posts_by_channel.setdefault(post["channel"], []).append(post)
        while not self.stopping.wait(self.arrival_every):
            channel = self._random.choice(channels)
            post = posts_by_channel[channel["key"]][-1]
            text, handle, name = next(self._arrivals)
            n = next(self._seq)
            self.emulator.add_comment(
                channel["platform"],
                channel["account_id"],
                post["platform_id"],
                text,
                {"id": f"demo-arrival-{handle}", "handle": handle, "name": name},
                comment_id=f"{post['platform_id']}-live-{int(time.time())}-{n}",
            )
            log.info("demo: a new comment arrived on %s", channel["name"])
