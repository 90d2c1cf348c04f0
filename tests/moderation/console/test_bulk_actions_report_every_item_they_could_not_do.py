"""Bulk actions: one action on many items, each audited on its own, and every item that could not
be done is listed with its reason rather than silently dropped."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from accounts.models import AuditEvent
from moderation.models import Comment, ModerationAction
from tests.factories import AuthorFactory, ChannelFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def test_every_spam_comment_by_one_author_is_hidden_and_each_is_audited(olivia) -> None:
    channel, spammer = ChannelFactory(platform="facebook"), AuthorFactory()
    spam = [
        open_item(f"Buy followers {n}", category="spam", channel=channel, author=spammer)
        for n in range(4)
    ]
    response = signed_in(Client(), olivia).post(
        "/queue/bulk/", {"verb": "hide", "ids": [c.pk for c in spam]}
    )
    assert response.status_code == 302
    assert ModerationAction.objects.filter(kind="hide", comment__in=spam).count() == 4
    hidden_events = AuditEvent.objects.filter(event_type="moderation.comment.hidden")
    assert sorted(int(e.target_id) for e in hidden_events) == sorted(c.pk for c in spam)
    assert "Hid 4 of 4 items." in [str(m) for m in get_messages(response.wsgi_request)]


def test_items_that_cannot_be_done_are_listed_with_the_reason(olivia, oscar) -> None:
    fine = open_item()
    done = open_item(status=Comment.Status.DONE, handled_by=oscar)
    on_x = open_item(platform="x")
    response = signed_in(Client(), olivia).post(
        "/queue/bulk/",
        {"verb": "remove", "ids": [fine.pk, done.pk, on_x.pk, 999_999], "confirmed": "yes"},
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Removed 1 of 4 items. This cannot be undone." in shown
    assert any(f"Item {done.pk}" in m and "Already handled by Oscar Pryce" in m for m in shown)
    assert any(f"Item {on_x.pk}" in m and "X cannot remove" in m for m in shown)
    assert any("Item 999999: no longer exists." in m for m in shown)


def test_blocking_in_bulk_blocks_each_person_once(olivia) -> None:
    channel, troll = ChannelFactory(platform="facebook"), AuthorFactory()
    items = [open_item(channel=channel, author=troll) for _ in range(3)]
    signed_in(Client(), olivia).post(
        "/queue/bulk/", {"verb": "block", "ids": [c.pk for c in items]}
    )
    assert ModerationAction.objects.filter(kind="block", author=troll).count() == 1


def test_a_bulk_post_with_no_items_or_junk_ids_does_nothing_and_says_so(olivia) -> None:
    client = signed_in(Client(), olivia)
    response = client.post("/queue/bulk/", {"verb": "hide", "ids": ["abc", "-1"]})
    assert any(str(m).startswith("Nothing done") for m in get_messages(response.wsgi_request))
    assert not ModerationAction.objects.exists()
