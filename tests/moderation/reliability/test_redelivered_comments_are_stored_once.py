"""Meta's webhook retries and overlapping polls deliver the same comment again: one row each."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.connectors.webhooks import sign
from moderation.emulator import Emulator
from moderation.emulator.meta_webhooks import payload
from moderation.jobs import poll_channel
from moderation.models import Channel, Comment
from tests.moderation.reliability.conftest import APP_SECRET, PAGE_ID, seed_comments

pytestmark = pytest.mark.django_db
URL = "/webhooks/meta/facebook/"


def _delivery(emulator: Emulator, text: str) -> tuple[str, bytes]:
    """A new comment on the Page and the signed-body Meta would send for it: (id, body)."""
    post_id = emulator.add_post("facebook", PAGE_ID, text="Roadworks on Elm Road next week")
    comment_id = emulator.add_comment("facebook", PAGE_ID, post_id, text)
    comment = emulator.store.comment("facebook", comment_id)
    assert comment is not None
    return comment_id, json.dumps(payload(comment)).encode()


def _deliver(client: Client, body: bytes) -> int:
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, APP_SECRET),
    )
    return response.status_code


def test_the_same_webhook_delivered_three_times_stores_one_comment(
    client: Client, emulator: Emulator, facebook_channel: Channel
) -> None:
    comment_id, body = _delivery(emulator, "How long will the roadworks last?")

    statuses = [_deliver(client, body) for _ in range(3)]

    assert statuses == [200, 200, 200]
    stored = Comment.objects.filter(channel=facebook_channel)
    assert list(stored.values_list("platform_id", "text")) == [
        (comment_id, "How long will the roadworks last?")
    ]
    stored_events = AuditEvent.objects.filter(event_type="moderation.comments.stored")
    assert [event.data["stored"] for event in stored_events] == [1]


def test_a_comment_from_a_webhook_is_not_stored_again_by_the_poll(
    client: Client, emulator: Emulator, facebook_channel: Channel
) -> None:
    seeded = seed_comments(emulator, 30)
    comment_id, body = _delivery(emulator, "Is Elm Road closed at night too?")
    assert _deliver(client, body) == 200

    new_from_poll = poll_channel(facebook_channel.pk)

    assert new_from_poll == len(seeded)
    stored = sorted(Comment.objects.filter(channel=facebook_channel).values_list("platform_id"))
    assert stored == sorted((pid,) for pid in [*seeded, comment_id])


def test_a_poll_whose_pages_overlap_what_is_stored_adds_only_the_new_comments(
    emulator: Emulator, facebook_channel: Channel
) -> None:
    first = seed_comments(emulator, 250, posts=3)
    assert poll_channel(facebook_channel.pk) == len(first)
    later = seed_comments(emulator, 40, posts=1)
    # Losing the cursor (an old backup, a reconnected Page) makes every page overlap.
    Channel.objects.filter(pk=facebook_channel.pk).update(cursor="")

    assert poll_channel(facebook_channel.pk) == len(later)
    assert poll_channel(facebook_channel.pk) == 0
    stored = Comment.objects.filter(channel=facebook_channel).values_list("platform_id", flat=True)
    assert sorted(stored) == sorted([*first, *later])
