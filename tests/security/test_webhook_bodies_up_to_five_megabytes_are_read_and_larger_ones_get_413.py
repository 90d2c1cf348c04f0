"""Webhook bodies: up to the documented 5 MB are read, anything larger gets 413.

Django refuses request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with a 400 before a view
sees them. Meta batches many changes into one delivery, and docs/ingest.md promises 5 MB, so the
webhook reads its own body up to that limit; every other page keeps Django's limit.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from moderation.connectors.webhooks import sign
from moderation.models import Comment
from moderation.webhooks.views import MAX_BODY_BYTES
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db
APP_SECRET = "body-size-app-secret"
PAGE_ID = "104857600000777"
URL = "/webhooks/meta/facebook/"


def _delivery(padding: int) -> bytes:
    """A one-comment delivery padded to about ``padding`` bytes with a field Meta may add."""
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{PAGE_ID}_1_99",
        "post_id": f"{PAGE_ID}_1",
        "parent_id": f"{PAGE_ID}_1",
        "from": {"id": "5550001", "name": "Ana P."},
        "message": "Is the tip open on Sunday?",
        "created_time": 1740903299,
    }
    document = {
        "object": "page",
        "entry": [
            {"id": PAGE_ID, "time": 1740903300, "changes": [{"field": "feed", "value": value}]}
        ],
        "padding": "x" * padding,
    }
    return json.dumps(document).encode()


def _post(client: Client, body: bytes) -> int:
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, APP_SECRET),
    )
    return response.status_code


@pytest.fixture
def page() -> None:
    ChannelFactory(platform="facebook", account_id=PAGE_ID, login={"app_secret": APP_SECRET})


def test_a_signed_four_megabyte_delivery_is_read_and_stored(client: Client, page: None) -> None:
    body = _delivery(4 * 1024 * 1024)
    assert 2_621_440 < len(body) <= MAX_BODY_BYTES

    assert _post(client, body) == 200
    assert Comment.objects.filter(platform_id=f"{PAGE_ID}_1_99").exists()


def test_a_delivery_over_five_megabytes_gets_413_and_stores_nothing(
    client: Client, page: None
) -> None:
    body = _delivery(5 * 1024 * 1024 + 10)
    assert len(body) > MAX_BODY_BYTES

    assert _post(client, body) == 413
    assert not Comment.objects.exists()


def test_a_body_claiming_more_than_five_megabytes_is_refused_before_it_is_read(
    client: Client, page: None
) -> None:
    response = client.generic(
        "POST",
        URL,
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(MAX_BODY_BYTES + 1),
    )
    assert response.status_code == 413


def test_other_pages_keep_djangos_own_limit(client: Client) -> None:
    big_form = "username=" + "x" * (3 * 1024 * 1024) + "&password=y"
    response = client.post(
        "/accounts/sign-in/", data=big_form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
