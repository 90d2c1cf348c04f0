"""Erasing one person on request takes away the quarantined items that are theirs, and only those.

Found in testing: the items were chosen by a case-insensitive substring search of each one's raw
JSON for any of the person's names, name parts, handle and ids, so a person whose handle is an
ordinary word ("text", which every raw item holds as a key) or whose name is part of someone
else's ("Jane" in "Janet") wiped other people's quarantined items as well: the only copy of what
a platform sent, kept for people to read. Other people's words that merely mention the person
are theirs and are kept (docs/security.md, "Erasure").
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.audit import SystemActor
from moderation.actions.erasure_on_request import do_erase_author_data
from moderation.actions.ingest import do_store_comments
from moderation.connectors.base import FetchedAuthor, FetchedComment, FetchedPost, Quarantined
from moderation.models import Author, QuarantinedItem
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

HANDLE = "text"  # a valid X handle that is also a key of every raw item
NAME = "Jane Message"
PLATFORM_ID = "1840000000000000001"


def _comment_by(platform_id: str, handle: str, name: str) -> FetchedComment:
    return FetchedComment(
        platform_id=f"{platform_id}-c",
        post_platform_id="post-1",
        parent_platform_id="",
        author=FetchedAuthor(platform_id=platform_id, handle=handle, display_name=name),
        text="The bins were not collected",
        created_at=timezone.now() - dt.timedelta(minutes=5),
        permalink="",
        raw={"id": f"{platform_id}-c"},
        post=FetchedPost("post-1", "Bins", "", None),
    )


def _stored(quarantined: list[Quarantined]) -> Author:
    channel = ChannelFactory(platform="x", account_id="council-x")
    do_store_comments(
        channel,
        [_comment_by(PLATFORM_ID, HANDLE, NAME)],
        actor=SystemActor.connector("x connector"),
        quarantined=quarantined,
    )
    return Author.objects.get(platform_id=PLATFORM_ID)


THEIRS = Quarantined(
    f"X reply {PLATFORM_ID}-bad skipped: missing created_at",
    f"{PLATFORM_ID}-bad",
    {"id": f"{PLATFORM_ID}-bad", "author_id": PLATFORM_ID, "text": "Again!"},
)
SOMEONE_ELSES = Quarantined(
    "X reply 1840000000000000999 skipped: missing created_at",
    "1840000000000000999",
    {
        "id": "1840000000000000999",
        "author_id": "1840000000000000777",
        "username": "janet_messages",
        "name": "Janet Messages",
        "text": "Any message from the council about the text I sent?",
    },
)


def test_the_persons_own_quarantined_item_is_erased(adam) -> None:
    author = _stored([THEIRS])

    do_erase_author_data(author, actor=adam, requested_by="by email", reason="Right to erasure")

    item = QuarantinedItem.objects.get()
    assert item.raw == ""
    assert PLATFORM_ID not in item.platform_id + item.reason


def test_someone_elses_quarantined_item_keeps_what_the_platform_sent(adam) -> None:
    author = _stored([THEIRS, SOMEONE_ELSES])

    counts = do_erase_author_data(
        author, actor=adam, requested_by="by email", reason="Right to erasure"
    )

    theirs, other = QuarantinedItem.objects.order_by("id")
    assert theirs.raw == ""
    assert other.platform_id == "1840000000000000999"
    assert "Janet Messages" in other.raw
    assert "about the text I sent" in other.raw
    assert other.reason == SOMEONE_ELSES.reason
    assert counts.quarantined == 1
