"""Meta webhooks for real: each Meta channel has a verify token an admin can see and set, the
handshake answers with it, and subscribing the Page to the app is an audited worker action."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent
from moderation.actions.channels import do_connect_channel
from moderation.jobs import subscribe_channel_to_webhooks
from moderation.models import Channel
from tests.factories import channel_on
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
PAGE = "104857600000777"


def test_a_connected_meta_channel_gets_a_verify_token_that_answers_the_handshake(
    client: Client, adam
) -> None:
    channel = do_connect_channel(
        platform="facebook",
        account_id=PAGE,
        name="Council Page",
        credentials={"access_token": "t", "app_secret": "s"},
        actor=adam,
    )
    token = channel.webhook_verify_token
    assert len(token) >= 24

    response = client.get(
        "/webhooks/meta/facebook/",
        {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token},
    )

    assert response.status_code == 200
    assert response.content == b"1158201444"


def test_the_channel_page_shows_the_callback_and_token_and_an_admin_can_set_it(
    client: Client, emulator, adam
) -> None:
    channel = channel_on(emulator, "facebook", PAGE, login={"access_token": "t"})
    signed_in(client, adam)

    client.post(
        f"/settings/channels/{channel.pk}/webhooks/verify-token/",
        {"verify_token": "our-own-verify-token-2026"},
    )
    page = client.get(f"/settings/channels/{channel.pk}/").content.decode()

    assert "our-own-verify-token-2026" in page
    assert "/webhooks/meta/facebook/" in page
    assert AuditEvent.objects.filter(
        event_type="moderation.channel.webhook_verify_token_set"
    ).exists()


def test_subscribing_the_page_is_requested_audited_and_done_by_a_worker(
    client: Client, emulator, adam, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    channel = channel_on(emulator, "facebook", PAGE, login={"access_token": "t"})
    signed_in(client, adam)
    enqueued = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now", lambda queue, job, calls: enqueued.append((job, calls))
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/settings/channels/{channel.pk}/webhooks/subscribe/")
    [(job, [(channel_id,)])] = enqueued
    assert job == "moderation.jobs.subscribe_channel_to_webhooks"
    assert emulator.store.webhook_subscriptions.get(("facebook", PAGE)) is None  # not yet
    subscribe_channel_to_webhooks(channel_id)

    channel.refresh_from_db()
    assert emulator.store.webhook_subscriptions[("facebook", PAGE)] == {"feed", "messages"}
    assert channel.webhooks_subscribed_at is not None
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "moderation.channel.webhook_subscription_requested",
        "moderation.channel.webhooks_subscribed",
    } <= events


def test_a_refused_subscription_is_shown_with_the_platforms_words(emulator) -> None:
    channel = channel_on(emulator, "facebook", PAGE, login={"access_token": "t"})
    emulator.set_faults("facebook", "expired_token", path_contains="subscribed_apps")

    subscribe_channel_to_webhooks(channel.pk)

    channel = Channel.objects.get(pk=channel.pk)
    assert channel.webhooks_subscribed_at is None
    assert "Session has expired" in channel.webhooks_error
