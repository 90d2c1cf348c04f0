"""Meta webhooks only flow once the callback passed Meta's verification handshake and the Page
(or Instagram account) is subscribed to the app (`POST /{id}/subscribed_apps`)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from moderation.connectors.facebook import FacebookConnector
from moderation.connectors.http import SentRequest
from moderation.connectors.webhooks import verify_subscription


@pytest.fixture
def kit(make_kit):
    return make_kit("facebook")


def test_subscribing_a_page_names_the_fields_it_needs(kit):
    sent: list[SentRequest] = []
    connector = FacebookConnector(kit.config(), kit.client(recorder=sent.append))

    result = connector.subscribe_webhooks()

    assert result.ok
    [request] = sent
    assert request.method == "POST"
    assert request.url.split("?")[0].endswith(f"/{kit.account_id}/subscribed_apps")
    fields = dict(p.split("=") for p in request.body.decode().split("&"))["subscribed_fields"]
    assert set(fields.replace("%2C", ",").split(",")) == {"feed", "messages"}
    assert kit.emulator.store.webhook_subscriptions[("facebook", kit.account_id)] == {
        "feed",
        "messages",
    }


def test_instagram_accounts_subscribe_their_comment_and_message_fields(make_kit):
    kit = make_kit("instagram")

    kit.connector().subscribe_webhooks()

    assert kit.emulator.store.webhook_subscriptions[("instagram", kit.account_id)] == {
        "comments",
        "live_comments",
        "messages",
    }


class _Callback(BaseHTTPRequestHandler):
    """The console's endpoint in miniature: the handshake with one verify token, then 200s."""

    token = "the-verify-token"
    received: list[bytes] = []

    def do_GET(self) -> None:
        params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        challenge = verify_subscription(params, self.token)
        body = (challenge or "").encode()
        self.send_response(200 if challenge is not None else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        _Callback.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def callback():
    _Callback.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/meta/facebook/"
    server.shutdown()
    server.server_close()


def test_the_handshake_is_refused_with_the_wrong_verify_token(kit, callback):
    with pytest.raises(ValueError, match="verify"):
        kit.emulator.register_webhook("facebook", callback, "wrong")


def test_nothing_is_delivered_to_an_unverified_callback(kit, callback):
    kit.connector().subscribe_webhooks()

    with pytest.raises(ValueError, match="verified"):
        kit.emulator.deliver_webhook("facebook", callback, "s", kit.account_id, "x")
    assert _Callback.received == []


def test_nothing_is_delivered_for_a_page_not_subscribed_to_the_app(kit, callback):
    kit.emulator.register_webhook("facebook", callback, _Callback.token)

    with pytest.raises(ValueError, match="subscribed"):
        kit.emulator.deliver_webhook("facebook", callback, "s", kit.account_id, "x")
    assert _Callback.received == []


def test_a_verified_callback_of_a_subscribed_page_receives_comments(kit, callback):
    kit.emulator.register_webhook("facebook", callback, _Callback.token)
    kit.connector().subscribe_webhooks()

    status, _ = kit.emulator.deliver_webhook("facebook", callback, "s", kit.account_id, "hello")

    assert status == 200
    assert len(_Callback.received) == 1
