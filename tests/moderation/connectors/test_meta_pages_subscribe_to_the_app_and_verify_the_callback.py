"""Meta webhooks only flow once the callback passed Meta's verification handshake and the Page
(or Instagram account) is subscribed to the app (`POST /{id}/subscribed_apps`)."""

from __future__ import annotations

import pytest

from moderation.connectors.facebook import FacebookConnector
from moderation.connectors.webhooks import verify_subscription


@pytest.fixture
def kit(make_kit):
    return make_kit("facebook")


def test_subscribing_a_page_names_the_fields_it_needs(kit):
    sent = []
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


class Callback:
    """A stand-in for the console's webhook endpoint."""

    def __init__(self, token):
        self.token = token
        self.received = []

    def __call__(self, method, params, body, headers):
        if method == "GET":
            challenge = verify_subscription(params, self.token)
            return (200, challenge) if challenge is not None else (403, "")
        self.received.append(body)
        return (200, "ok")


def test_nothing_is_delivered_to_an_unverified_callback_or_an_unsubscribed_page(kit):
    kit.post()
    with pytest.raises(ValueError, match="verif"):
        kit.emulator.deliver_webhook("facebook", "http://127.0.0.1:9/none", "s", kit.account_id, "x")


def test_the_handshake_is_refused_with_the_wrong_verify_token(kit):
    with pytest.raises(ValueError, match="verif"):
        kit.emulator.register_webhook("facebook", "http://127.0.0.1:9/none", "wrong")
