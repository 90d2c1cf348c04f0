"""Undo ("u"): a hide not yet sent is withdrawn, a sent hide is undone by an unhide, approving
and ignoring reopen the item, and what no platform can take back (a removal, a posted reply)
is refused with the reason."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from accounts.models import AuditEvent
from moderation.actions.comments import ActionRefused
from moderation.actions.undo import do_undo_comment_action
from moderation.models import Author, Comment, ModerationAction
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_undoing_a_hide_not_yet_sent_withdraws_it_and_reopens_the_item(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/hide/")
    response = client.post("/queue/undo/")
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW and item.handled_by is None
    assert ModerationAction.objects.get(comment=item).state == "cancelled"
    assert "Undone: the hide had not been sent yet, so it was withdrawn." in shown(response)
    assert AuditEvent.objects.filter(event_type="moderation.comment.action_undone").exists()


def test_undoing_a_hide_gives_back_the_authors_strike(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/hide/")
    assert Author.objects.get(pk=item.author_id).strikes == 1
    client.post("/queue/undo/")
    assert Author.objects.get(pk=item.author_id).strikes == 0


def test_undoing_a_hide_already_done_on_the_platform_sends_an_unhide(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/hide/")
    ModerationAction.objects.filter(comment=item).update(state="succeeded")
    Comment.objects.filter(pk=item.pk).update(visibility="hidden")
    response = client.post("/queue/undo/")
    assert ModerationAction.objects.filter(comment=item, kind="unhide", state="pending").exists()
    assert "Undone: an unhide has been sent to Facebook." in shown(response)
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW


def test_undoing_an_approval_reopens_the_item(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/approve/")
    client.post("/queue/undo/")
    item.refresh_from_db()
    assert item.status == Comment.Status.REVIEW
    assert not item.flags.filter(reversed=True).exists()


def test_a_removal_that_reached_the_platform_cannot_be_undone(olivia) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/remove/", {"confirmed": "yes"})
    removal = ModerationAction.objects.get(comment=item)
    ModerationAction.objects.filter(pk=removal.pk).update(state="succeeded")
    # The console does not offer it (the officer confirmed it was permanent) …
    assert shown(client.post("/queue/undo/"))[-1] == "Nothing to undo."
    # … and the action itself refuses, naming why.
    with pytest.raises(ActionRefused, match="a removed comment cannot be restored"):
        do_undo_comment_action(item, "remove", actor=olivia, action_id=removal.pk)
    item.refresh_from_db()
    assert item.status == Comment.Status.DONE


def test_undo_refuses_when_someone_else_has_handled_the_item_since(olivia, oscar) -> None:
    item = open_item()
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{item.pk}/ignore/")
    Comment.objects.filter(pk=item.pk).update(handled_by=oscar)
    response = client.post("/queue/undo/")
    assert any("Oscar Pryce has handled this item since" in m for m in shown(response))


def test_with_nothing_done_there_is_nothing_to_undo(olivia) -> None:
    response = signed_in(Client(), olivia).post("/queue/undo/")
    assert "Nothing to undo." in shown(response)
