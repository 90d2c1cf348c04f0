"""Only Meta, signing with the app secret, can put comments in through the webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.connectors.webhooks import sign
from moderation.emulator import Emulator
from moderation.emulator.meta_webhooks import payload
from moderation.models import Channel, Comment
from tests.moderation.reliability.conftest import APP_SECRET, PAGE_ID, VERIFY_TOKEN

pytestmark = pytest.mark.django_db
URL = "/webhooks/meta/facebook/"


@pytest.fixture
def body(emulator: Emulator, facebook_channel: Channel) -> bytes:
    post_id = emulator.add_post("facebook", PAGE_ID, text="Library opening hours")
    comment_id = emulator.add_comment("facebook", PAGE_ID, post_id, "Open on Sunday?")
    comment = emulator.store.comment("facebook", comment_id)
    assert comment is not None
    return json.dumps(payload(comment)).encode()


def _sha1(body: bytes) -> str:
    return "sha1=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha1).hexdigest()


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param(sign(b"another body", APP_SECRET), id="signed-for-another-body"),
        pytest.param("wrong-secret", id="signed-with-another-secret"),
        pytest.param("sha1", id="legacy-sha1-only"),
        pytest.param("sha256=" + "0" * 64, id="zeros"),
    ],
)
def test_a_delivery_without_a_good_signature_is_refused_and_nothing_is_stored(
    client: Client, body: bytes, signature: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    if signature == "wrong-secret":
        signature = sign(body, "not-the-app-secret")
    elif signature == "sha1":
        signature = _sha1(body)
    headers = {} if signature is None else {"X-Hub-Signature-256": signature}

    with caplog.at_level(logging.WARNING, logger="moderation.webhooks.views"):
        response = client.post(URL, data=body, content_type="application/json", headers=headers)

    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert not AuditEvent.objects.filter(event_type="moderation.comments.stored").exists()
    assert "Rejected facebook webhook with a bad or missing signature" in caplog.text


def test_a_body_changed_after_signing_is_refused(client: Client, body: bytes) -> None:
    signature = sign(body, APP_SECRET)
    tampered = body.replace(b"Open on Sunday?", b"Open on Monday?")

    response = client.post(
        URL, data=tampered, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_same_body_correctly_signed_is_accepted(client: Client, body: bytes) -> None:
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, APP_SECRET),
    )

    assert response.status_code == 200
    assert list(Comment.objects.values_list("text", flat=True)) == ["Open on Sunday?"]


def test_the_subscription_handshake_echoes_the_challenge_for_the_verify_token(
    client: Client, facebook_channel: Channel
) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": VERIFY_TOKEN,
    }

    response = client.get(URL, params)

    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


def test_the_handshake_with_another_verify_token_is_refused(
    client: Client, facebook_channel: Channel
) -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "guess"}

    response = client.get(URL, params)

    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_a_platform_without_meta_webhooks_is_not_found(client: Client, body: bytes) -> None:
    response = client.post(
        "/webhooks/meta/youtube/",
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, APP_SECRET),
    )

    assert response.status_code == 404
    assert not Comment.objects.exists()
