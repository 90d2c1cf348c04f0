"""After erasure on request, a dump of the whole database holds nothing of the person.

The penetration test found escalation notes still naming the person, a pending reply
"Dear Jo …" kept (and still to be sent) and the author's platform id left behind. Here a person
goes through everything the console does with someone: their comments are stored (one with a
forged date, one unreadable item quarantined), checked by the rules (personal data masked, an
automatic hide waiting), escalated with a note naming them, noted on, replied to (one reply sent,
one waiting), blocked, exported for subject access; then erased. ``pg_dump`` of the database and
every value in the cache are searched for their name, handle, platform id and words.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

from accounts.audit import SystemActor
from moderation.actions import (
    do_add_note,
    do_block_author,
    do_escalate_comment,
    do_record_action_success,
    do_reply_to_comment,
    do_store_comments,
)
from moderation.actions.backtests import do_start_backtest
from moderation.actions.erasure_on_request import do_erase_author_data
from moderation.actions.ingest import do_record_poll_success
from moderation.actions.subject_access import do_export_author_data
from moderation.connectors.base import FetchedAuthor, FetchedComment, FetchedPost, Quarantined
from moderation.connectors.parsing import iso
from moderation.connectors.sweep import encode_cursor
from moderation.jobs import evaluate_comments
from moderation.models import Author, Channel, Comment, EscalationRoute, ModerationAction
from rules.models import RuleSetVersion
from smpolicy.queue import hold_queues
from tests.factories import ChannelFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NAME = "Joanna Bloggsworth"
HANDLE = "jo-bloggsworth.bsky.social"
DID = "did:plc:jobloggsworth4242"
PHRASE = "purple giraffe bins"
PHONE = "07700 900123"
COUNCIL = "did:plc:council0000000000000001"
SECRETS = (NAME, "Bloggsworth", HANDLE, DID, "jobloggsworth4242", PHRASE, PHONE)


def _by(author_did: str, handle: str, name: str, n: int, text: str, **extra: Any):
    uri = f"at://{author_did}/app.bsky.feed.post/3k{n}"
    return FetchedComment(
        platform_id=uri,
        post_platform_id=f"at://{COUNCIL}/app.bsky.feed.post/root",
        parent_platform_id=str(extra.pop("parent", "")),
        author=FetchedAuthor(platform_id=author_did, handle=handle, display_name=name),
        text=text,
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=n),
        permalink=f"https://bsky.app/profile/{handle}/post/3k{n}",
        raw={"uri": uri, "author": {"did": author_did, "handle": handle, "displayName": name}},
        post=FetchedPost(f"at://{COUNCIL}/app.bsky.feed.post/root", "Bins", "", None),
        **extra,
    )


def _live_everything(olivia, adam) -> Author:
    channel = ChannelFactory(platform="bluesky", account_id=COUNCIL, name="Council on Bluesky")
    EscalationRoute.objects.filter(key="manager").update(email="managers@example.org")
    connector = SystemActor.connector("bluesky connector")
    first = _by(
        DID,
        HANDLE,
        NAME,
        1,
        f"The {PHRASE} on Elm Road again. Ring me on {PHONE}. {NAME}",
        corrections=("createdAt '0001-01-01T00:00:00Z' was not used (is before 2000)",),
    )
    second = _by(DID, HANDLE, NAME, 2, f"You fucking idiots, leave my {PHRASE} alone")
    reply = _by(
        "did:plc:someoneelse",
        "else.bsky.social",
        "Someone Else",
        3,
        "Agreed!",
        parent=first.platform_id,
    )
    unreadable = Quarantined(
        f"Bluesky post item at://{DID}/app.bsky.feed.post/bad skipped: missing text",
        f"at://{DID}/app.bsky.feed.post/bad",
        {"uri": f"at://{DID}/app.bsky.feed.post/bad", "author": {"handle": HANDLE}},
    )
    # The poll's cursor remembers the newest items it read, by id (sweep.py's fence).
    cursor = encode_cursor(
        "bluesky-notifications",
        {"w": iso(first.created_at), "fence": [first.platform_id, second.platform_id], "bad": []},
    )
    do_store_comments(
        channel, [first, second, reply], actor=connector, quarantined=[unreadable], cursor=cursor
    )
    do_record_poll_success(channel, [unreadable.reason], actor=connector)
    evaluate_comments(list(Comment.objects.values_list("pk", flat=True)))
    author = Author.objects.get(platform_id=DID)
    mine = Comment.objects.filter(author=author).order_by("created_at")
    older, newer = mine[0], mine[1]
    assert ModerationAction.objects.filter(comment=newer, kind="hide", state="pending").exists()

    do_escalate_comment(
        newer,
        EscalationRoute.objects.get(key="manager"),
        actor=olivia,
        note=f"{NAME} ({HANDLE}) rang about the {PHRASE}",
    )
    do_add_note(comment=older, text=f"{NAME} again, third time", actor=olivia)
    do_add_note(author=author, text=f"{HANDLE} is a regular", actor=olivia)
    sent = do_reply_to_comment(older, f"Dear {NAME}, thank you for telling us", actor=olivia)
    do_record_action_success(
        sent,
        {"uri": f"at://{COUNCIL}/app.bsky.feed.post/r1", "text": f"Dear {NAME}"},
        "r1",
        actor=SystemActor.connector("bluesky connector"),
    )
    do_reply_to_comment(newer, f"Dear {NAME}, we will look at the {PHRASE}", actor=olivia)
    block = do_block_author(newer, actor=olivia)
    do_record_action_success(
        block,
        {"subject": DID, "uri": f"at://{COUNCIL}/b/1"},
        "b1",
        actor=SystemActor.connector("bluesky connector"),
    )
    do_export_author_data(
        author, actor=adam, export_format="json", reference=f"SAR from {NAME} (ref 41)"
    )
    version = RuleSetVersion.objects.filter(state="live").first()
    assert version is not None
    now = dt.datetime.now(dt.UTC)
    do_start_backtest(version, now - dt.timedelta(days=1), now, actor=adam)
    return author


def _database_dump() -> str:
    params = connection.settings_dict
    result = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            params.get("HOST") or "127.0.0.1",
            "-p",
            str(params.get("PORT") or 5432),
            "-U",
            params["USER"],
            params["NAME"],
        ],
        capture_output=True,
        check=True,
        env={"PGPASSWORD": params.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
    )
    return result.stdout.decode("utf-8", "replace")


def _cache_dump() -> bytes:
    location = str(settings.CACHES["default"]["LOCATION"])
    if not location.startswith("redis"):
        return b""
    client = redis.Redis.from_url(location)
    return b"\n".join((client.dump(key) or b"") + key for key in client.scan_iter(count=1000))


def test_nothing_of_the_person_is_left_anywhere_after_erasure(olivia, adam) -> None:
    with hold_queues("actions"):  # platform calls stay in the outbox: no network here
        author = _live_everything(olivia, adam)
    before = _database_dump()
    assert all(secret in before for secret in SECRETS), "the scenario must hold them all"

    do_erase_author_data(
        author, actor=adam, requested_by=f"{NAME}, by email", reason="Right to erasure"
    )

    dump, cache = _database_dump(), _cache_dump()
    for secret in SECRETS:
        assert secret not in dump, f"{secret!r} is still in the database"
        assert secret.encode() not in cache, f"{secret!r} is still in the cache"


def test_erasure_cancels_the_persons_pending_platform_actions_on_the_record(olivia, adam) -> None:
    from accounts.models import AuditEvent

    with hold_queues("actions"):
        author = _live_everything(olivia, adam)
    waiting = list(
        ModerationAction.objects.filter(author=author, state="pending").values_list("pk", flat=True)
    )
    assert len(waiting) >= 2  # the automatic hide and the unsent reply

    do_erase_author_data(author, actor=adam, requested_by="by email", reason="Right to erasure")

    for action in ModerationAction.objects.filter(pk__in=waiting):
        assert action.state == ModerationAction.State.CANCELLED
        assert action.text == ""
    cancelled = AuditEvent.objects.filter(event_type="moderation.action.cancelled")
    assert {int(e.target_id) for e in cancelled} == set(waiting)
    assert Channel.objects.get(account_id=COUNCIL).last_error.count("[erased]") >= 1


def test_a_comment_erased_on_request_is_not_stored_again_when_delivered_again(adam) -> None:
    channel = ChannelFactory(platform="bluesky", account_id=COUNCIL)
    comment = _by(DID, HANDLE, NAME, 1, f"The {PHRASE} again")
    connector = SystemActor.connector("bluesky connector")
    do_store_comments(channel, [comment], actor=connector)
    do_erase_author_data(
        Author.objects.get(platform_id=DID), actor=adam, requested_by="by email", reason="asked"
    )

    again = do_store_comments(channel, [comment], actor=connector)

    assert again.new_comment_ids == []
    assert not Comment.objects.filter(text__contains=PHRASE).exists()
    assert PHRASE not in _database_dump()
