"""Issue 14 item 7: one channel's app secret must not forge webhooks for every other channel.

Before, a delivery was accepted when its signature matched the app secret of ANY enabled channel
of the platform: whoever knew one channel's secret (a second council sharing the deployment, a
test Page) could put comments into every channel. Each delivery is now checked with the secret
of the channel it names; otherwise 403 and nothing is stored.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.connectors.webhooks import sign
from moderation.models import Comment
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db
URL = "/webhooks/meta/facebook/"


def _delivery(page_id: str, text: str) -> bytes:
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": page_id,
                    "time": 1740906000,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "item": "comment",
                                "verb": "add",
                                "comment_id": f"{page_id}_1_2",
                                "post_id": f"{page_id}_1",
                                "from": {"id": "5550001", "name": "Mallory"},
                                "message": text,
                                "created_time": 1740906000,
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


@pytest.fixture
def two_councils():
    ours = ChannelFactory(
        platform="facebook", account_id="111", login={"access_token": "t", "app_secret": "ours"}
    )
    theirs = ChannelFactory(
        platform="facebook", account_id="222", login={"access_token": "t", "app_secret": "theirs"}
    )
    return ours, theirs


def test_a_delivery_for_one_channel_signed_with_another_channels_secret_is_refused(
    client: Client, two_councils
) -> None:
    body = _delivery("111", "Forged comment")

    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, "theirs"),
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert not AuditEvent.objects.filter(event_type="moderation.comments.stored").exists()


def test_a_delivery_signed_with_the_named_channels_own_secret_is_stored(
    client: Client, two_councils
) -> None:
    body = _delivery("111", "Genuine comment")

    response = client.post(
        URL, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(body, "ours")
    )

    assert response.status_code == 200
    assert list(Comment.objects.values_list("channel__account_id", "text")) == [
        ("111", "Genuine comment")
    ]


def test_a_delivery_naming_two_channels_needs_each_ones_secret(
    client: Client, two_councils
) -> None:
    first, second = json.loads(_delivery("111", "a")), json.loads(_delivery("222", "b"))
    body = json.dumps({"object": "page", "entry": first["entry"] + second["entry"]}).encode()

    response = client.post(
        URL, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(body, "ours")
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_delivery_naming_no_known_channel_is_refused(client: Client, two_councils) -> None:
    body = _delivery("999", "Who is this for?")

    response = client.post(
        URL, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(body, "ours")
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()
