"""Every connector, fed hostile items among good ones, quarantines each bad item alone.

A bad item (a time out of range or in the future, NaN, a giant number, a missing id, text of the
wrong type) is not passed on as a comment: it comes back in ``Page.quarantined`` with a readable
reason and the item as received, and every good comment of the same listing is kept. Times set
by the writer's own software (Bluesky's ``createdAt``, a remote Mastodon server's status time)
are replaced by the platform's own time, and the comment is kept with the correction noted.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from moderation.connectors.base import PLATFORMS, BaseConnector, FetchedComment, Quarantined

# Per platform: where the platform's own time, the item's id and its text are in an item.
TIME = {
    "facebook": "created_time",
    "instagram": "timestamp",
    "youtube": "snippet.publishedAt",
    "x": "created_at",
    "linkedin": "created.time",
    "threads": "timestamp",
    "tiktok": "create_time",
    "mastodon": "created_at",
    "bluesky": "indexedAt",
}
IDS = {
    "facebook": ["id"],
    "instagram": ["id"],
    "youtube": ["id"],
    "x": ["id"],
    "linkedin": ["commentUrn", "$URN"],
    "threads": ["id"],
    "tiktok": ["comment_id"],
    "mastodon": ["id"],
    "bluesky": ["uri"],
}
TEXT = {
    "facebook": "message",
    "instagram": "text",
    "youtube": "snippet.textOriginal",
    "x": "text",
    "linkedin": "message.text",
    "threads": "text",
    "tiktok": "text",
    "mastodon": "status.content",
    "bluesky": "record.text",
}
HOSTILE_TIMES = {
    "year one": "0001-01-01T00:00:00Z",
    "year one east of UTC": "0001-01-01T00:00:00+01:00",
    "far future": "2999-01-01T00:00:00Z",
    "NaN": math.nan,
    "giant number": 1e300,
    "before the epoch": -62135596800,
}


def _drain(connector: BaseConnector) -> tuple[list[FetchedComment], list[Quarantined]]:
    comments: list[FetchedComment] = []
    quarantined: list[Quarantined] = []
    cursor: str | None = None
    for _ in range(60):
        page = connector.fetch_comments(cursor)
        comments += page.comments
        quarantined += page.quarantined
        assert len(page.quarantined) <= len(page.problems)
        if page.next_cursor is None:
            return comments, quarantined
        cursor = page.next_cursor
    raise AssertionError("not caught up")


def _hostile(platform: str) -> dict[str, dict[str, Any]]:
    cases: dict[str, dict[str, Any]] = {
        f"time: {name}": {TIME[platform]: value} for name, value in HOSTILE_TIMES.items()
    }
    cases["missing id"] = dict.fromkeys(IDS[platform])
    cases["text is an object"] = {TEXT[platform]: {"evil": True}}
    cases["text is a number"] = {TEXT[platform]: 10**40}
    return cases


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_hostile_item_is_quarantined_alone_and_the_good_ones_are_kept(make_kit, platform):
    kit = make_kit(platform)
    post = kit.post()
    good = [kit.comment(post, f"Is the tip open on Sunday? ({n})") for n in range(3)]
    hostile = {
        name: kit.comment(post, f"hostile {name}", overrides=overrides)
        for name, overrides in _hostile(platform).items()
    }

    listed, quarantined = _drain(kit.connector())

    assert sorted(c.platform_id for c in listed) == sorted(good)
    assert len(quarantined) == len(hostile)
    for item in quarantined:
        assert "skipped" in item.reason
        json.dumps(item.raw, allow_nan=False)  # storable as it is
    reasons = " | ".join(q.reason for q in quarantined)
    assert "0001-01-01" in reasons and "is before 2000" in reasons
    assert "2999-01-01" in reasons and "is in the future" in reasons
    raw = json.dumps([q.raw for q in quarantined])
    assert "hostile time: year one" in raw  # the item is kept as received
    # Each is named by its id where it has one (all but the one without, and Mastodon's, whose
    # notification id is not the status id).
    named = {q.platform_id for q in quarantined} & set(hostile.values())
    assert len(named) >= len(hostile) - 2


@pytest.mark.parametrize(
    ("platform", "written_time"),
    [("bluesky", "record.createdAt"), ("mastodon", "status.created_at")],
)
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "yesterday"])
def test_a_time_the_writer_chose_is_replaced_by_the_platforms_and_the_comment_kept(
    make_kit, platform, written_time, value
):
    kit = make_kit(platform)
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    comment_id = kit.comment(
        kit.post(), "you absolute idiot", created_at=when, overrides={written_time: value}
    )

    listed, quarantined = _drain(kit.connector())

    assert quarantined == []
    [comment] = listed
    assert comment.platform_id == comment_id
    assert comment.created_at == when
    [correction] = comment.corrections
    assert repr(value)[1:-1] in correction
    assert "was used instead" in correction
