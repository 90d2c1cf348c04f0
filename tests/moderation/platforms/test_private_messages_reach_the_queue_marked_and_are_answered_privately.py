"""Issue 16 item 4: Facebook and Instagram private messages (FOI requests and complaints arrive
this way too) are stored as private items, judged like comments, shown marked "Private message",
answered privately through the Send API and never offered public actions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from moderation.actions.comments import ActionRefused, do_hide_comment, do_reply_to_comment
from moderation.connectors.webhooks import sign
from moderation.emulator import meta_webhooks
from moderation.jobs import poll_channel
from moderation.models import Comment
from moderation.outbox import perform_action
from tests.factories import channel_on
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
PAGE = "104857600000555"
SECRET = "page-app-secret"
RESIDENT = {"id": "24000000000007", "handle": "sam", "name": "Sam Resident"}


@pytest.fixture
def page(emulator):
    return channel_on(
        emulator, "facebook", PAGE, login={"access_token": "page-token", "app_secret": SECRET}
    )


def test_a_messaging_webhook_is_stored_as_a_private_item(
    client: Client, emulator, page, django_capture_on_commit_callbacks
) -> None:
    mid = emulator.add_message("facebook", PAGE, "FOI request: the bin contract", RESIDENT)
    [message] = [m for m in emulator.store.messages if m.id == mid]
    body = json.dumps(meta_webhooks.message_payload(message)).encode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/webhooks/meta/facebook/",
            data=body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sign(body, SECRET),
        )

    assert response.status_code == 200
    stored = Comment.objects.get(platform_id=mid)
    assert stored.private is True
    assert stored.text == "FOI request: the bin contract"
    assert stored.status != Comment.Status.NEW  # judged by the same rules as comments


def test_a_poll_reads_messages_and_the_queue_marks_them_private(
    client: Client, emulator, page, olivia
) -> None:
    emulator.add_message("facebook", PAGE, "My neighbour's address is 12 Elm Road", RESIDENT)

    poll_channel(page.pk)

    item = Comment.objects.get(channel=page)
    assert item.private
    signed_in(client, olivia)
    queue = client.get("/queue/?tab=all").content.decode()
    assert "Private message" in queue
    page_html = client.get(f"/queue/{item.pk}/").content.decode()
    assert "Private message from" in page_html
    for public in ("hide", "remove", "block"):
        assert f"/queue/{item.pk}/{public}/" not in page_html
    assert f"/queue/{item.pk}/reply/" in page_html


def test_a_reply_goes_back_through_the_send_api_and_is_never_published(
    emulator, page, olivia
) -> None:
    emulator.add_message("facebook", PAGE, "Please call me back", RESIDENT)
    poll_channel(page.pk)
    item = Comment.objects.get(channel=page)

    action = do_reply_to_comment(item, "We will call you today.", actor=olivia)
    perform_action(action.pk)

    action.refresh_from_db()
    assert action.state == "succeeded"
    sent = [a for a in emulator.actions if a["action"] == "message"]
    assert [(a["target"], a["params"]["message"]) for a in sent] == [
        (RESIDENT["id"], "We will call you today.")
    ]
    assert not [a for a in emulator.actions if a["action"] == "reply"]


def test_public_actions_on_a_private_message_are_refused(emulator, page, olivia) -> None:
    emulator.add_message("facebook", PAGE, "hello", RESIDENT)
    poll_channel(page.pk)
    item = Comment.objects.get(channel=page)

    with pytest.raises(ActionRefused, match="private message"):
        do_hide_comment(item, actor=olivia)
    assert not item.actions.exists()
