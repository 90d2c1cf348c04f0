"""Replies on channels, or about categories, that an admin has chosen wait for a manager before
the outbox sends them. Managers see them in one list and approve them, or reject them with a
reason (the item goes back to its officer). Every step is audited; nothing waiting is sent."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.models import Comment, ModerationAction, Organisation
from moderation.outbox import perform_action
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

REPLY = "Thank you, we have passed this to the highways team."


@pytest.fixture
def watched_item(adam):
    item = open_item("When will the A3052 reopen?", platform="facebook")
    response = signed_in(Client(), adam).post(
        "/settings/reply-approval/", {"channels": [item.channel_id], "categories": []}
    )
    assert response.status_code == 302
    item.channel.refresh_from_db()
    assert item.channel.replies_need_approval
    return item


def test_choosing_what_needs_approval_is_audited_and_only_for_admins(watched_item, olivia) -> None:
    event = AuditEvent.objects.get(event_type="moderation.reply_approval.changed")
    assert event.after is not None
    assert event.after["channels"] == [str(watched_item.channel)]
    assert signed_in(Client(), olivia).get("/settings/reply-approval/").status_code == 403


def test_a_reply_on_a_chosen_channel_waits_and_is_not_sent(
    watched_item, olivia, django_capture_on_commit_callbacks
) -> None:
    client = signed_in(Client(), olivia)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/queue/{watched_item.pk}/reply/", {"text": REPLY})
    action = ModerationAction.objects.get(comment=watched_item, kind="reply")
    assert action.state == "awaiting"
    assert callbacks == []  # no send job enqueued
    assert perform_action(action.pk) == "skipped"  # and a worker that finds it leaves it
    action.refresh_from_db()
    assert action.state == "awaiting"
    follow = client.get(response["Location"]).content.decode()
    assert (
        "waiting for a manager&#x27;s approval" in follow
        or "waiting for a manager’s approval" in follow
    )


def test_a_manager_sees_the_waiting_reply_and_approves_it(
    watched_item, olivia, maya, django_capture_on_commit_callbacks
) -> None:
    signed_in(Client(), olivia).post(f"/queue/{watched_item.pk}/reply/", {"text": REPLY})
    action = ModerationAction.objects.get(comment=watched_item, kind="reply")
    manager = signed_in(Client(), maya)
    html = manager.get("/replies/awaiting/").content.decode()
    assert REPLY in html and "Olivia Okafor" in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        manager.post(f"/replies/{action.pk}/approve/")
    action.refresh_from_db()
    assert action.state == "pending"
    assert len(callbacks) == 1  # the send is enqueued now
    event = AuditEvent.objects.get(event_type="moderation.reply.approved")
    assert event.actor == maya and event.target_id == str(action.pk)
    assert REPLY not in manager.get("/replies/awaiting/").content.decode()


def test_a_manager_rejects_a_reply_with_a_reason_and_the_item_goes_back_to_its_officer(
    watched_item, olivia, maya
) -> None:
    signed_in(Client(), olivia).post(f"/queue/{watched_item.pk}/reply/", {"text": REPLY})
    action = ModerationAction.objects.get(comment=watched_item, kind="reply")
    manager = signed_in(Client(), maya)
    manager.post(f"/replies/{action.pk}/reject/", {"reason": ""})
    action.refresh_from_db()
    assert action.state == "awaiting"  # a rejection needs a reason
    manager.post(f"/replies/{action.pk}/reject/", {"reason": "Do not promise a date."})
    action.refresh_from_db()
    assert action.state == "cancelled"
    assert "Do not promise a date." in action.last_error
    watched_item.refresh_from_db()
    assert watched_item.status == Comment.Status.REVIEW
    assert watched_item.assigned_to == olivia
    event = AuditEvent.objects.get(event_type="moderation.reply.rejected")
    assert event.actor == maya and event.data["reason"] == "Do not promise a date."
    html = signed_in(Client(), olivia).get(f"/queue/{watched_item.pk}/").content.decode()
    assert "Do not promise a date." in html


def test_officers_cannot_approve(watched_item, olivia) -> None:
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{watched_item.pk}/reply/", {"text": REPLY})
    action = ModerationAction.objects.get(comment=watched_item, kind="reply")
    assert client.get("/replies/awaiting/").status_code == 403
    assert client.post(f"/replies/{action.pk}/approve/").status_code == 403
    action.refresh_from_db()
    assert action.state == "awaiting"


def test_replies_about_a_chosen_category_wait_too(adam, olivia) -> None:
    signed_in(Client(), adam).post(
        "/settings/reply-approval/", {"channels": [], "categories": ["complaint"]}
    )
    assert Organisation.current().reply_approval_categories == ["complaint"]
    complaint = open_item("I want to complain", category="complaint")
    other = open_item("Bins?", category="abuse")
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{complaint.pk}/reply/", {"text": REPLY})
    client.post(f"/queue/{other.pk}/reply/", {"text": REPLY})
    assert ModerationAction.objects.get(comment=complaint).state == "awaiting"
    assert ModerationAction.objects.get(comment=other).state == "pending"


def test_an_officer_can_withdraw_a_waiting_reply_with_u(watched_item, olivia) -> None:
    client = signed_in(Client(), olivia)
    client.post(f"/queue/{watched_item.pk}/reply/", {"text": REPLY})
    assert 'data-shortcut="u"' in client.get(f"/queue/{watched_item.pk}/").content.decode()
    client.post("/queue/undo/")
    assert ModerationAction.objects.get(comment=watched_item).state == "cancelled"


def test_a_managers_own_reply_is_not_held(watched_item, maya) -> None:
    signed_in(Client(), maya).post(f"/queue/{watched_item.pk}/reply/", {"text": REPLY})
    assert ModerationAction.objects.get(comment=watched_item).state == "pending"
