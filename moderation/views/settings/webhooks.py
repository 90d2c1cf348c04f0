"""A channel's webhooks: the verify token Meta checks and subscribing the account to the app."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import require_permission
from moderation.actions.channel_webhooks import (
    do_request_webhook_subscription,
    do_set_webhook_verify_token,
)
from moderation.actions.channels import META_PLATFORMS
from moderation.actions.configuration import ConfigurationRefused
from moderation.models import Channel


def webhook_context(request: HttpRequest, channel: Channel) -> dict[str, object]:
    """What the channel page shows about webhooks ({} for platforms without Meta webhooks)."""
    if channel.platform not in META_PLATFORMS:
        return {}
    return {
        "webhooks": {
            "callback_url": request.build_absolute_uri(
                reverse("webhooks:meta", args=[channel.platform])
            ),
            "verify_token": channel.webhook_verify_token,
            "subscribable": channel.platform in ("facebook", "instagram"),
            "subscribed_at": channel.webhooks_subscribed_at,
            "error": channel.webhooks_error,
        }
    }


@require_POST
@require_permission("configure")
def verify_token(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    user = request.user
    assert isinstance(user, User)
    try:
        do_set_webhook_verify_token(channel, request.POST.get("verify_token", ""), actor=user)
    except ConfigurationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Verify token saved: enter the same one in Meta's dashboard.")
    return redirect("moderation:channel_edit", channel.pk)


@require_POST
@require_permission("configure")
def subscribe(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    user = request.user
    assert isinstance(user, User)
    try:
        do_request_webhook_subscription(channel, actor=user)
    except ConfigurationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Subscribing the account to the app: refresh in a moment.")
    return redirect("moderation:channel_edit", channel.pk)
