"""A forged webhook costs the console at most one HMAC of its body, however many channels there are.

Found in testing: a badly signed delivery that named no account was checked with the app secret
of every enabled channel of the platform, one HMAC-SHA256 of the (up to 5 MB) body each, so one
cheap unsigned request cost the server as many hashes as it had channels. Meta signs a delivery
with the secret of the one app whose subscription it belongs to, so the console now settles
which secret that is before hashing anything, and hashes the body once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from moderation.models import Comment
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db
URL = "/webhooks/meta/facebook/"
CHANNELS = 30
FORGED = "sha256=" + "0" * 64
# Meta's side signs with the real function, so that only the console's own hashes are counted.
UNCOUNTED_HMAC = hmac.new


def _entry(page_id: str) -> dict[str, object]:
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{page_id}_1_2",
        "post_id": f"{page_id}_1",
        "from": {"id": "5550001", "name": "Ana P."},
        "message": "When is the bin collected?",
        "created_time": 1740906000,
    }
    return {"id": page_id, "time": 1740906000, "changes": [{"field": "feed", "value": value}]}


@pytest.fixture
def councils() -> list[str]:
    """Thirty Pages, each connected with its own Meta app (a secret of its own)."""
    pages = [f"10{n:04d}" for n in range(CHANNELS)]
    for n, page in enumerate(pages):
        ChannelFactory(
            platform="facebook", account_id=page, login={"access_token": "t", "app_secret": f"s{n}"}
        )
    return pages


@pytest.fixture
def body_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every HMAC computed over a webhook body (``hmac.new`` with a body of 20+ bytes)."""
    seen: list[bytes] = []
    original = hmac.new

    def counting(
        key: bytes, msg: bytes | None = None, digestmod: Any = hashlib.sha256
    ) -> hmac.HMAC:
        if isinstance(msg, bytes) and msg.startswith(b"{") and len(msg) > 20:
            seen.append(msg)
        return original(key, msg, digestmod)

    monkeypatch.setattr(hmac, "new", counting)
    yield seen


def _post(client: Client, document: object, signature: str) -> int:
    body = json.dumps(document).encode()
    if signature.startswith("secret:"):
        secret = signature.removeprefix("secret:").encode()
        signature = "sha256=" + UNCOUNTED_HMAC(secret, body, hashlib.sha256).hexdigest()
    response = client.post(
        URL, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )
    return response.status_code


def test_a_forged_delivery_naming_no_account_is_hashed_at_most_once(
    client: Client, councils: list[str], body_hashes: list[bytes]
) -> None:
    assert _post(client, {"object": "page", "entry": []}, FORGED) == 403

    assert len(body_hashes) <= 1


def test_a_forged_delivery_naming_every_channel_is_hashed_at_most_once(
    client: Client, councils: list[str], body_hashes: list[bytes]
) -> None:
    document = {"object": "page", "entry": [_entry(page) for page in councils]}

    assert _post(client, document, FORGED) == 403

    assert len(body_hashes) <= 1
    assert not Comment.objects.exists()


def test_a_delivery_naming_channels_of_two_different_apps_is_refused_unhashed(
    client: Client, councils: list[str], body_hashes: list[bytes]
) -> None:
    document = {"object": "page", "entry": [_entry(councils[0]), _entry(councils[1])]}

    assert _post(client, document, "secret:s0") == 403

    assert body_hashes == []
    assert not Comment.objects.exists()


def test_a_genuine_delivery_for_two_pages_of_one_app_is_hashed_once_and_stored(
    client: Client, body_hashes: list[bytes]
) -> None:
    for page in ("201", "202"):
        ChannelFactory(
            platform="facebook", account_id=page, login={"access_token": "t", "app_secret": "app"}
        )
    document = {"object": "page", "entry": [_entry("201"), _entry("202")]}

    assert _post(client, document, "secret:app") == 200

    assert len(body_hashes) == 1
    assert sorted(Comment.objects.values_list("channel__account_id", flat=True)) == ["201", "202"]


def test_a_delivery_naming_no_account_is_checked_only_with_the_deployments_app_secret(
    client: Client, councils: list[str], settings, body_hashes: list[bytes]
) -> None:
    settings.OAUTH_CLIENTS = {**settings.OAUTH_CLIENTS, "FACEBOOK": ("app-id", "deployment")}
    broken = {"object": "page", "entry": "not a list"}

    # A channel's own secret no longer vouches for a delivery that names nobody.
    assert _post(client, broken, "secret:s0") == 403
    # Meta's own app, signing something unreadable: 200, or Meta resends it for hours.
    assert _post(client, broken, "secret:deployment") == 200
    assert len(body_hashes) == 2
    assert not Comment.objects.exists()
