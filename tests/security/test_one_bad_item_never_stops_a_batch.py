"""One bad item never stops its batch: it is quarantined alone, the rest is stored and checked.

The penetration test's case: a Bluesky reply whose author's app set ``createdAt`` to year 1 made
evaluation raise OverflowError, so the whole batch (four abusive comments with it) stayed
unchecked at every retry, and the reply's page answered 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from moderation.emulator import Emulator
from moderation.imports import import_comments
from moderation.jobs import evaluate_comments, poll_channel
from moderation.models import Comment
from tests.factories import ChannelFactory, CommentFactory, channel_on
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
ACCOUNT = "did:plc:council0000000000000001"
ABUSIVE = "This council is shit and the leader is a fucking idiot"
CHECKED = (Comment.Status.REVIEW, Comment.Status.HELD, Comment.Status.DONE)


def _quarantine_reasons(comment: Comment) -> list[str]:
    return list(comment.quarantined.values_list("reason", flat=True))


def test_a_reply_dated_year_one_is_kept_with_bluesky_s_time_and_its_batch_is_checked(
    emulator: Emulator, client: Client, olivia, settings
) -> None:
    settings.PLATFORM_BASE_URL = emulator.url  # the deployment names the emulator
    channel = channel_on(emulator, "bluesky", ACCOUNT, login={"access_token": "token"})
    post = emulator.add_post("bluesky", ACCOUNT, text="Bin collections change next week")
    abusive = [emulator.add_comment("bluesky", ACCOUNT, post, f"{ABUSIVE} ({n})") for n in range(4)]
    forged = emulator.add_comment(
        "bluesky",
        ACCOUNT,
        post,
        f"{ABUSIVE} (year one)",
        overrides={"record.createdAt": "0001-01-01T00:00:00Z"},
    )

    poll_channel(channel.pk)
    evaluate_comments(list(Comment.objects.values_list("pk", flat=True)))

    for platform_id in [*abusive, forged]:
        comment = Comment.objects.get(platform_id=platform_id)
        assert comment.status in CHECKED, platform_id
        assert comment.flags.filter(category="abuse").exists()
    comment = Comment.objects.get(platform_id=forged)
    assert comment.created_at.year == dt.datetime.now(dt.UTC).year
    [reason] = _quarantine_reasons(comment)
    assert "0001-01-01" in reason
    assert "0001-01-01T00:00:00Z" in comment.quarantined.get().raw
    page = signed_in(client, olivia).get(f"/queue/{comment.pk}/")
    assert page.status_code == 200
    assert "0001-01-01" in page.content.decode()


def test_a_stored_comment_dated_year_one_is_corrected_and_its_batch_is_checked(
    client: Client, olivia
) -> None:
    channel = ChannelFactory()
    abusive = [CommentFactory(channel=channel, text=f"{ABUSIVE} ({n})") for n in range(4)]
    year_one = CommentFactory(
        channel=channel,
        text=f"{ABUSIVE} (stored long ago)",
        created_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    )

    evaluate_comments([c.pk for c in [*abusive, year_one]])

    for comment in Comment.objects.filter(pk__in=[c.pk for c in [*abusive, year_one]]):
        assert comment.status in CHECKED
        assert comment.flags.filter(category="abuse").exists()
    year_one.refresh_from_db()
    assert year_one.created_at == year_one.received_at
    assert "0001-01-01" in _quarantine_reasons(year_one)[0]
    page = signed_in(client, olivia).get(f"/queue/{year_one.pk}/")
    assert page.status_code == 200


def test_a_comment_the_rules_cannot_check_is_held_for_a_person_and_the_rest_are_checked(
    client: Client, olivia, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules.engine import Context

    channel = ChannelFactory()
    abusive = [CommentFactory(channel=channel, text=f"{ABUSIVE} ({n})") for n in range(3)]
    poisoned = CommentFactory(channel=channel, text="a text that breaks a detector")
    original = Context.__init__

    def breaks_on_the_poisoned_text(self: Context, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if kwargs.get("author_name") == poisoned.author.display_name:
            raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(Context, "__init__", breaks_on_the_poisoned_text)

    evaluate_comments([c.pk for c in [*abusive, poisoned]])

    for comment in Comment.objects.filter(pk__in=[c.pk for c in abusive]):
        assert comment.status in CHECKED
        assert comment.flags.filter(category="abuse").exists()
    poisoned.refresh_from_db()
    assert poisoned.status == Comment.Status.REVIEW  # a person judges it
    assert poisoned.priority > 0
    [reason] = _quarantine_reasons(poisoned)
    assert "RecursionError" in reason
    page = signed_in(client, olivia).get(f"/queue/{poisoned.pk}/")
    assert page.status_code == 200
    assert "RecursionError" in page.content.decode()
    # Once held for a person it is no longer waiting for the rules: no retry loop.
    assert evaluate_comments([poisoned.pk]) == 0


@pytest.mark.parametrize(
    "created_at",
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "2999-01-01T00:00:00Z", "NaN"],
)
def test_an_import_rejects_a_row_with_an_impossible_time_and_keeps_the_others(
    created_at: str,
) -> None:
    channel = ChannelFactory(platform="import")
    data = (
        "id,post_id,author_id,text,created_at\n"
        "r1,p1,a1,Is the tip open on Sunday?,2025-03-01T10:00:00Z\n"
        f"r2,p1,a2,{ABUSIVE},{created_at}\n"
        "r3,p1,a3,Thanks for the update,2025-03-01T11:00:00Z\n"
    ).encode()
    from accounts.audit import SystemActor

    report = import_comments(channel, data, "comments.csv", actor=SystemActor.system("test"))

    assert report.stored == 2
    [(row, reason)] = report.rejected
    assert row == 3
    assert "created_at" in reason
    assert sorted(Comment.objects.values_list("platform_id", flat=True)) == ["r1", "r3"]
