"""An action no platform can take back (a removal anywhere; a block where the platform cannot
lift it) asks for confirmation first and says it cannot be undone there; "Press u to undo" and
the undo button appear only where an undo can really happen."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from moderation.models import Comment, ModerationAction
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_removing_a_youtube_comment_asks_first_and_says_it_is_permanent(olivia) -> None:
    item = open_item(platform="youtube")
    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/remove/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be undone on YouTube" in html
    assert "rejects it instead, which is permanent" in html
    assert 'name="confirmed" value="yes"' in html
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW
    assert not ModerationAction.objects.filter(comment=item).exists()


def test_a_confirmed_removal_is_done_and_offers_no_undo(olivia) -> None:
    item = open_item(platform="youtube")
    client = signed_in(Client(), olivia)
    response = client.post(f"/queue/{item.pk}/remove/", {"confirmed": "yes"})
    messages = shown(response)
    assert messages == ["Removed: sending to YouTube. This cannot be undone."]
    assert ModerationAction.objects.get(comment=item).kind == "remove"
    html = client.get(f"/queue/{item.pk}/").content.decode()
    assert 'data-shortcut="u"' not in html


def test_a_removal_on_facebook_asks_too(olivia) -> None:
    item = open_item(platform="facebook")
    html = signed_in(Client(), olivia).post(f"/queue/{item.pk}/remove/").content.decode()
    assert "cannot be undone on Facebook" in html


def test_blocking_on_youtube_asks_first_but_on_facebook_it_can_be_undone(olivia) -> None:
    client = signed_in(Client(), olivia)
    youtube = open_item(platform="youtube")
    html = client.post(f"/queue/{youtube.pk}/block/").content.decode()
    assert "cannot be undone on YouTube" in html
    assert not ModerationAction.objects.filter(comment=youtube).exists()
    facebook = open_item(platform="facebook")
    response = client.post(f"/queue/{facebook.pk}/block/")
    assert response.status_code == 302
    assert "Press u to undo." in shown(response)[0]


def test_a_hide_where_the_platform_can_unhide_offers_undo(olivia) -> None:
    item = open_item(platform="youtube")
    client = signed_in(Client(), olivia)
    response = client.post(f"/queue/{item.pk}/hide/")
    assert shown(response) == ["Hidden: sending to YouTube. Press u to undo."]
    assert 'data-shortcut="u"' in client.get(f"/queue/{item.pk}/").content.decode()


def test_a_sent_reply_is_no_longer_offered_for_undo(olivia) -> None:
    item = open_item(platform="facebook")
    client = signed_in(Client(), olivia)
    response = client.post(f"/queue/{item.pk}/reply/", {"text": "Thanks, we have passed it on."})
    assert "Press u" not in shown(response)[0]
    html = client.get(f"/queue/{item.pk}/").content.decode()
    assert 'data-shortcut="u"' in html  # not sent yet: it can still be withdrawn
    ModerationAction.objects.filter(comment=item).update(state="succeeded")
    html = client.get(f"/queue/{item.pk}/").content.decode()
    assert 'data-shortcut="u"' not in html


def test_bulk_remove_asks_first_naming_each_platform(olivia) -> None:
    youtube = open_item(platform="youtube")
    facebook = open_item(platform="facebook")
    client = signed_in(Client(), olivia)
    response = client.post("/queue/bulk/", {"verb": "remove", "ids": [youtube.pk, facebook.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove 2 comments?" in html
    assert "cannot be undone on YouTube" in html and "cannot be undone on Facebook" in html
    assert not ModerationAction.objects.exists()
    response = client.post(
        "/queue/bulk/", {"verb": "remove", "ids": [youtube.pk, facebook.pk], "confirmed": "yes"}
    )
    assert ModerationAction.objects.filter(kind="remove").count() == 2
    assert shown(response) == ["Removed 2 of 2 items. This cannot be undone."]


def test_bulk_hide_needs_no_confirmation(olivia) -> None:
    item = open_item(platform="facebook")
    response = signed_in(Client(), olivia).post("/queue/bulk/", {"verb": "hide", "ids": [item.pk]})
    assert response.status_code == 302
    assert shown(response) == ["Hid the comment. Press u to undo."]


def test_rejecting_a_comment_youtube_held_asks_first(olivia) -> None:
    item = open_item(platform="youtube", platform_status="heldForReview")
    client = signed_in(Client(), olivia)
    html = client.post(f"/queue/{item.pk}/reject/").content.decode()
    assert "Reject this comment?" in html and "cannot be undone on YouTube" in html
    assert not ModerationAction.objects.filter(comment=item).exists()
    client.post(f"/queue/{item.pk}/reject/", {"confirmed": "yes"})
    assert ModerationAction.objects.get(comment=item).kind == "reject"
