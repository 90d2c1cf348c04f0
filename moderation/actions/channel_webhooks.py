"""Audited changes to a Meta channel's webhooks: the verify token Meta's verification request
must carry, and the subscription of a Page or Instagram account to the app."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from accounts.audit import Actor, record
from moderation.actions.channels import META_PLATFORMS, new_verify_token
from moderation.actions.configuration import ConfigurationRefused
from moderation.models import Channel
from smpolicy.queue import enqueue_on_commit

VERIFY_TOKEN = re.compile(r"[A-Za-z0-9_.\-]{16,100}")


@transaction.atomic
def do_set_webhook_verify_token(channel: Channel, token: str, *, actor: Actor) -> str:
    """Set the token Meta's verification request must carry ("" makes a new random one). It is
    typed into Meta's app dashboard, so it is shown to admins; the audit names no value."""
    token = token.strip() or new_verify_token()
    if channel.platform not in META_PLATFORMS:
        raise ConfigurationRefused("Only Facebook, Instagram and Threads channels have webhooks.")
    if not VERIFY_TOKEN.fullmatch(token):
        raise ConfigurationRefused(
            "A verify token is 16 to 100 letters, digits, dots, dashes or underscores."
        )
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    changed = channel.webhook_verify_token != token
    channel.webhook_verify_token = token
    channel.save(update_fields=["webhook_verify_token"])
    if changed:
        record(
            "moderation.channel.webhook_verify_token_set",
            actor=actor,
            target=channel,
            channel_id=channel.pk,
            after={"verify_token_set": True},
        )
    return token


@transaction.atomic
def do_request_webhook_subscription(channel: Channel, *, actor: Actor) -> None:
    """Ask a worker to subscribe the channel's Page or Instagram account to the app
    (`POST /{id}/subscribed_apps`); without it Meta delivers nothing."""
    if channel.platform not in ("facebook", "instagram"):
        raise ConfigurationRefused(
            "Only Facebook Pages and Instagram accounts are subscribed from here; Threads "
            "webhooks are set in the Meta app dashboard."
        )
    record(
        "moderation.channel.webhook_subscription_requested",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
    )
    enqueue_on_commit("default", "moderation.jobs.subscribe_channel_to_webhooks", channel.pk)


@transaction.atomic
def do_record_webhook_subscription(channel: Channel, error: str, *, actor: Actor) -> None:
    """Record the platform's answer to a subscription: subscribed now, or why not."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if error:
        channel.webhooks_error = error[:2000]
    else:
        channel.webhooks_subscribed_at = dt.datetime.now(dt.UTC)
        channel.webhooks_error = ""
    channel.save(update_fields=["webhooks_subscribed_at", "webhooks_error"])
    record(
        "moderation.channel.webhooks_subscribed"
        if not error
        else "moderation.channel.webhook_subscription_failed",
        actor=actor,
        target=channel,
        channel_id=channel.pk,
        after={"error": channel.webhooks_error, "subscribed_at": channel.webhooks_subscribed_at},
    )
