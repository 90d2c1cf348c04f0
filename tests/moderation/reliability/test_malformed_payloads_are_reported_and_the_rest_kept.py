"""A malformed item is reported (in the log and on the channel) and skipped; the rest is kept.

A page or a delivery that cannot be read at all stores nothing and leaves the cursor where it
was, so the next poll reads those comments again; nothing is ever half-stored.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from moderation.connectors.webhooks import sign
from moderation.emulator import Emulator
from moderation.jobs import poll_channel
from moderation.models import Channel, Comment
from tests.moderation.reliability.conftest import APP_SECRET, PAGE_ID, seed_comments

pytestmark = pytest.mark.django_db
URL = "/webhooks/meta/facebook/"


def _change(comment_id: str | None, text: str) -> dict[str, object]:
    value: dict[str, object] = {
        "item": "comment",
        "verb": "add",
        "post_id": f"{PAGE_ID}_1",
        "parent_id": f"{PAGE_ID}_1",
        "from": {"id": "5550001", "name": "Ana P."},
        "message": text,
        "created_time": 1740903299,
    }
    if comment_id is not None:
        value["comment_id"] = comment_id
    return {"field": "feed", "value": value}


def _deliver(client: Client, document: object) -> int:
    body = json.dumps(document).encode() if not isinstance(document, bytes) else document
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, APP_SECRET),
    )
    return response.status_code


def test_a_poll_page_with_an_unreadable_comment_keeps_the_others_and_says_which(
    emulator: Emulator, facebook_channel: Channel, caplog: pytest.LogCaptureFixture
) -> None:
    seeded = seed_comments(emulator, 12, posts=1)
    seeded_comment = emulator.store.comment("facebook", next(iter(seeded)))
    assert seeded_comment is not None
    post_id = seeded_comment.post_id
    broken = emulator.add_comment(
        "facebook", PAGE_ID, post_id, "unreadable", overrides={"created_time": "last Tuesday"}
    )

    with caplog.at_level(logging.WARNING, logger="moderation.jobs"):
        stored = poll_channel(facebook_channel.pk)

    assert stored == len(seeded)
    assert sorted(Comment.objects.values_list("platform_id", flat=True)) == sorted(seeded)
    facebook_channel.refresh_from_db()
    assert facebook_channel.status == Channel.Status.OK
    assert broken in facebook_channel.last_error
    assert "'last Tuesday' is not an ISO 8601 time" in facebook_channel.last_error
    assert broken in caplog.text


def test_a_poll_whose_listing_fails_half_way_stores_the_rest_once_on_the_next_poll(
    emulator: Emulator,
    facebook_channel: Channel,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("moderation.jobs.STORE_BATCH", 300)  # so the first pages are stored
    seeded = seed_comments(emulator, 900, posts=3)
    # Posts are read newest first: the oldest one's comments come last.
    oldest_post = emulator.store.posts_of("facebook", PAGE_ID)[0].id
    emulator.set_faults("facebook", "expired_token", 1, path_contains=f"/{oldest_post}/comments")

    with caplog.at_level(logging.WARNING, logger="moderation.jobs"):
        poll_channel(facebook_channel.pk)

    facebook_channel.refresh_from_db()
    assert facebook_channel.status == Channel.Status.ERROR
    assert "Error validating access token" in facebook_channel.last_error
    assert "Error validating access token" in caplog.text
    stored_before = Comment.objects.count()
    assert 0 < stored_before < len(seeded)

    poll_channel(facebook_channel.pk)

    facebook_channel.refresh_from_db()
    assert (facebook_channel.status, facebook_channel.last_error) == (Channel.Status.OK, "")
    assert sorted(Comment.objects.values_list("platform_id", flat=True)) == sorted(seeded)


@pytest.fixture
def not_json_server() -> Iterator[str]:
    """A server that answers every request with an HTML error page and HTTP 200."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>Service temporarily unavailable</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/facebook"
    server.shutdown()
    server.server_close()


def test_a_page_that_is_not_json_stores_nothing_and_marks_the_channel(
    facebook_channel: Channel,
    not_json_server: str,
    caplog: pytest.LogCaptureFixture,
    settings: Any,
) -> None:
    # This server stands in for the platform, so the deployment names it (connectors/hosts.py).
    settings.PLATFORM_BASE_URL = not_json_server.removesuffix("/facebook")
    Channel.objects.filter(pk=facebook_channel.pk).update(base_url=not_json_server, cursor="kept")

    with caplog.at_level(logging.WARNING, logger="moderation.jobs"):
        assert poll_channel(facebook_channel.pk) == 0

    facebook_channel.refresh_from_db()
    assert facebook_channel.status == Channel.Status.ERROR
    assert "not JSON" in facebook_channel.last_error
    assert "not JSON" in caplog.text
    assert facebook_channel.cursor == "kept"
    assert not Comment.objects.exists()


def test_a_webhook_with_one_malformed_change_stores_the_good_one_and_reports_the_bad(
    client: Client, facebook_channel: Channel, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1740903300,
                "changes": [_change(f"{PAGE_ID}_1_7", "Good"), _change(None, "No id")],
            }
        ],
    }

    with caplog.at_level(logging.WARNING, logger="moderation.webhooks.views"):
        assert _deliver(client, delivery) == 200

    assert list(Comment.objects.values_list("platform_id", "text")) == [(f"{PAGE_ID}_1_7", "Good")]
    assert "comment_id" in caplog.text
    facebook_channel.refresh_from_db()
    assert "comment_id" in facebook_channel.last_error


def test_a_webhook_whose_every_change_is_malformed_is_reported_on_its_channel(
    client: Client, facebook_channel: Channel, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1740903300, "changes": [_change(None, "No id")]}],
    }

    with caplog.at_level(logging.WARNING, logger="moderation.webhooks.views"):
        assert _deliver(client, delivery) == 200

    assert not Comment.objects.exists()
    assert "comment_id" in caplog.text
    facebook_channel.refresh_from_db()
    assert "comment_id" in facebook_channel.last_error


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b'{"object": "page", "entry": "nope"}', id="entry-not-a-list"),
        pytest.param(b'{"object": "page", "entry": [1, "x", null, []]}', id="entries-not-objects"),
        pytest.param(b'{"object": "page", "entry": [{"id": {"a": 1}}]}', id="id-not-text"),
        pytest.param(
            b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]", id="nested"
        ),
        pytest.param("\ufeff{}".encode(), id="byte-order-mark"),
        pytest.param(b"\xff\xfe\x00\x00garbage", id="not-utf8"),
    ],
)
def test_a_signed_delivery_that_cannot_be_read_is_logged_and_stores_nothing(
    client: Client,
    facebook_channel: Channel,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
    settings: Any,
) -> None:
    # Naming no channel, it is checked with the deployment's app secret, as Meta signs it.
    settings.OAUTH_CLIENTS = {**settings.OAUTH_CLIENTS, "FACEBOOK": ("app-id", APP_SECRET)}
    with caplog.at_level(logging.WARNING, logger="moderation.webhooks.views"):
        # 200: Meta retries anything else for hours, and the body will never get better.
        assert _deliver(client, body) == 200

    assert not Comment.objects.exists()
    assert "facebook webhook" in caplog.text


def test_a_hostile_comment_in_a_webhook_is_stored_as_received_within_the_limit(
    client: Client, facebook_channel: Channel
) -> None:
    hostile = "\u202eevil\u202c \x00 <script>alert(1)</script> z\u0351\u0352\u0353 🙂" * 5_000
    delivery = {
        "object": "page",
        "entry": [
            {"id": PAGE_ID, "time": 1740903300, "changes": [_change(f"{PAGE_ID}_1_9", hostile)]}
        ],
    }

    assert _deliver(client, delivery) == 200

    stored = Comment.objects.get(platform_id=f"{PAGE_ID}_1_9").text
    assert stored.startswith("\u202eevil\u202c \ufffd <script>")
    assert 0 < len(stored) <= len(hostile)
