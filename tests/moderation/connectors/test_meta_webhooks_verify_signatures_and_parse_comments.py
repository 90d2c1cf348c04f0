"""Meta webhooks: the subscription handshake, signatures over raw bytes, and payloads."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from moderation.connectors.webhooks import (
    parse_meta_webhook,
    sign,
    verify_signature,
    verify_subscription,
)

SECRET = "app-secret"

FACEBOOK_DELIVERY = {
    "object": "page",
    "entry": [
        {
            "id": "999",
            "time": 1740903300,
            "changes": [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "comment_id": "111_222",
                        "post_id": "999_111",
                        "parent_id": "999_111",
                        "from": {"id": "5550001", "name": "Ana P."},
                        "message": "When does the sale end?",
                        "created_time": 1740903299,
                    },
                }
            ],
        }
    ],
}
INSTAGRAM_DELIVERY = {
    "object": "instagram",
    "entry": [
        {
            "id": "178414000999",
            "time": 1740906000,
            "changes": [
                {
                    "field": "comments",
                    "value": {
                        "from": {"id": "178414000111", "username": "buyer_jo"},
                        "media": {"id": "1790000001", "media_product_type": "FEED"},
                        "id": "17870913679156914",
                        "text": "Love this colour",
                    },
                }
            ],
        }
    ],
}
THREADS_DELIVERY = {
    "app_id": "123456",
    "topic": "moderate",
    "target_id": "78901",
    "time": 1740906000,
    "subscription_id": "234567",
    "has_uid_field": False,
    "values": {
        "value": {
            "id": "8901234",
            "username": "kim_t",
            "text": "Shipping to Canada?",
            "media_type": "TEXT_POST",
            "permalink": "https://www.threads.net/@kim_t/post/Pp",
            "replied_to": {"id": "567890"},
            "root_post": {"id": "567890", "owner_id": "1111", "username": "brand"},
            "shortcode": "Pp",
            "timestamp": "2025-03-02T10:33:16+0000",
        },
        "field": "replies",
    },
}


def test_the_handshake_echoes_the_challenge_only_for_the_right_token():
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "tok"}

    assert verify_subscription(params, "tok") == "1158201444"
    assert verify_subscription(params, "other") is None
    assert verify_subscription({**params, "hub.mode": "unsubscribe"}, "tok") is None
    assert verify_subscription(params, "") is None


def test_a_challenge_that_is_not_a_plain_token_is_not_echoed():
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": "tok",
        "hub.challenge": "<script>alert(1)</script>",
    }

    assert verify_subscription(params, "tok") is None


def test_a_valid_signature_over_the_raw_body_is_accepted():
    body = json.dumps(FACEBOOK_DELIVERY).encode()

    assert verify_signature(body, sign(body, SECRET), SECRET)


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64, "garbage"],
)
def test_a_missing_or_wrong_signature_is_rejected(header):
    body = json.dumps(FACEBOOK_DELIVERY).encode()

    assert not verify_signature(body, header, SECRET)


def test_a_signature_for_a_different_body_or_secret_is_rejected():
    body = json.dumps(FACEBOOK_DELIVERY).encode()
    reencoded = json.dumps(FACEBOOK_DELIVERY, indent=1).encode()  # same JSON, other bytes

    assert not verify_signature(reencoded, sign(body, SECRET), SECRET)
    assert not verify_signature(body, sign(body, "other-secret"), SECRET)
    assert not verify_signature(body, sign(body, SECRET), "")


def test_a_facebook_feed_comment_becomes_a_comment_for_its_page():
    [(page, comment)], problems = parse_meta_webhook(
        "facebook", json.dumps(FACEBOOK_DELIVERY).encode()
    )

    assert problems == []
    assert page == "999"
    assert comment.platform_id == "111_222"
    assert comment.post_platform_id == "999_111"
    assert comment.parent_platform_id == ""  # parent_id is the post itself
    assert comment.author.display_name == "Ana P."
    assert comment.created_at.timestamp() == 1740903299


def test_facebook_changes_that_are_not_new_comments_are_ignored_quietly():
    delivery = json.loads(json.dumps(FACEBOOK_DELIVERY))
    delivery["entry"][0]["changes"].append(
        {"field": "feed", "value": {"item": "reaction", "verb": "add"}}
    )
    delivery["entry"][0]["changes"].append(
        {"field": "feed", "value": {"item": "comment", "verb": "remove", "comment_id": "1"}}
    )

    found, problems = parse_meta_webhook("facebook", json.dumps(delivery).encode())

    assert [c.platform_id for _, c in found] == ["111_222"]
    assert problems == []


def test_an_instagram_comment_takes_its_time_from_the_entry():
    [(account, comment)], _ = parse_meta_webhook(
        "instagram", json.dumps(INSTAGRAM_DELIVERY).encode()
    )

    assert account == "178414000999"
    assert comment.post_platform_id == "1790000001"
    assert comment.author.handle == "buyer_jo"
    assert comment.created_at.timestamp() == 1740906000


def test_a_threads_reply_is_read_from_its_values():
    [(account, comment)], _ = parse_meta_webhook("threads", json.dumps(THREADS_DELIVERY).encode())

    assert account == "78901"
    assert comment.post_platform_id == "567890"
    assert comment.parent_platform_id == ""
    assert comment.author.handle == "kim_t"


def test_a_malformed_change_is_a_problem_and_the_rest_are_kept():
    delivery = json.loads(json.dumps(FACEBOOK_DELIVERY))
    broken = json.loads(json.dumps(delivery["entry"][0]["changes"][0]))
    broken["value"]["created_time"] = "yesterday"
    delivery["entry"][0]["changes"].insert(0, broken)

    found, problems = parse_meta_webhook("facebook", json.dumps(delivery).encode())

    assert len(found) == 1
    assert len(problems) == 1 and "not" in problems[0]


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"entry": 5}', b"\xff\xfe"])
def test_a_body_that_is_not_a_delivery_is_a_problem_not_an_exception(body):
    found, problems = parse_meta_webhook("facebook", body)

    assert found == []
    assert problems


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[bytes, str | None]] = []

    def do_GET(self) -> None:  # Meta's verification handshake
        params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        body = (verify_subscription(params, "tok") or "").encode()
        self.send_response(200 if body else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append((body, self.headers.get("X-Hub-Signature-256")))
        ok = verify_signature(body, self.headers.get("X-Hub-Signature-256"), SECRET)
        self.send_response(200 if ok else 403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("platform", ["facebook", "instagram", "threads"])
def test_the_emulator_delivers_a_signed_webhook_the_parser_understands(emulator, platform):
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/meta"
        emulator.register_webhook(platform, url, "tok")
        emulator.subscribe(platform, "4242", {"feed", "comments"})
        status, comment_id = emulator.deliver_webhook(
            platform, url, SECRET, "4242", "Bins not collected again"
        )
    finally:
        server.shutdown()
        server.server_close()

    assert status == 200
    [(body, _signature)] = _Receiver.received
    [(account, comment)], problems = parse_meta_webhook(platform, body)
    assert problems == []
    assert account == "4242"
    assert comment.platform_id == comment_id
    assert comment.text == "Bins not collected again"
