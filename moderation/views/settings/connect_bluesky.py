"""Connecting Bluesky with OAuth (`moderation/connecting_bluesky.py`), and the two documents
the console publishes for it: its client metadata (whose URL is its `client_id`) and its JWKS.

The platform calls happen in these requests, outside any transaction (`non_atomic_requests`);
what they return is stored by one audited action: `do_connect_account` for a new channel,
`do_reconnect_channel` for one already connected.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.connections import do_connect_account, do_reconnect_channel
from moderation.bluesky_client import console_client, oauth_available
from moderation.connecting import ConnectionRefused
from moderation.connecting_bluesky import finish, start
from moderation.connectors.bluesky_oauth_session import FLOW
from moderation.models import Channel


@require_POST
@require_permission("configure")
@transaction.non_atomic_requests
def connect_bluesky_oauth(request: HttpRequest) -> HttpResponse:
    channel = None
    if request.POST.get("channel", "").isdigit():
        channel = get_object_or_404(Channel, pk=int(request.POST["channel"]), platform="bluesky")
    try:
        url = start(request, request.POST.get("handle", ""), channel)
    except ConnectionRefused as error:
        messages.error(request, f"Bluesky sign-in could not start: {error}")
        target = f"?channel={channel.pk}" if channel is not None else ""
        return redirect(reverse("moderation:connect_bluesky") + target)
    return render(
        request,
        "moderation/configuration/connect_redirect.html",
        {"nav": "settings", "url": url, "app": {"label": "Bluesky"}},
    )


@require_permission("configure")
@transaction.non_atomic_requests
def connect_bluesky_callback(request: HttpRequest) -> HttpResponse:
    try:
        account, channel_id = finish(request)
        same = {"pk": channel_id} if channel_id is not None else {"account_id": account.account_id}
        existing = Channel.objects.filter(platform="bluesky", **same).first()
        if existing is not None:
            channel = do_reconnect_channel(existing, FLOW, account, actor=acting_user(request))
            messages.success(
                request,
                f"{channel.shown_name} is reconnected with Bluesky sign-in. What it missed since "
                "its last successful check is being read now.",
            )
        else:
            channel = do_connect_account(FLOW, account, actor=acting_user(request))
            messages.success(request, f"{channel.shown_name} is connected.")
    except (ConnectionRefused, ConfigurationRefused) as error:
        return render(
            request,
            "moderation/configuration/connect_failed.html",
            {"nav": "settings", "reason": str(error)},
            status=400,
        )
    return redirect("moderation:channel_health", channel.pk)


# --- What Bluesky's authorisation servers fetch (public, no sign-in) ---------------------------


@require_GET
@cache_control(max_age=300, public=True)
def client_metadata(request: HttpRequest) -> HttpResponse:
    if not oauth_available():
        raise Http404("Bluesky sign-in is not set up")
    return JsonResponse(console_client().metadata())


@require_GET
@cache_control(max_age=300, public=True)
def jwks(request: HttpRequest) -> HttpResponse:
    if not oauth_available():
        raise Http404("Bluesky sign-in is not set up")
    return JsonResponse(console_client().jwks())
