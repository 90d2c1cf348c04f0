"""Connecting a channel through the platform's sign-in, and its connection health."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.channels import can_renew
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.connections import (
    do_connect_account,
    do_connect_authorized_accounts,
    do_disconnect_channel,
    do_reconnect_channel,
    do_record_authorization,
    pending_accounts,
)
from moderation.bluesky_client import oauth_available
from moderation.configuration.connect_checklists import CHECKLISTS
from moderation.connecting import (
    ConnectionRefused,
    bluesky_sign_in,
    finish,
    missing_settings,
    redirect_uri,
    start,
)
from moderation.connectors.oauth_apps import OAUTH_APPS
from moderation.credentials import decrypt_credentials
from moderation.models import Channel, PendingConnection
from moderation.tokens import visible_controls

# The way of connecting a reconnect uses when the channel was first connected by hand.
DEFAULT_FLOW = {
    "facebook": "facebook",
    "instagram": "instagram",
    "threads": "threads",
    "youtube": "youtube",
    "x": "x",
    "linkedin": "linkedin",
    "tiktok": "tiktok",
    "mastodon": "mastodon",
}


def _readable(channel: Channel) -> dict[str, str]:
    try:
        return decrypt_credentials(channel.credentials)
    except ValueError:  # CREDENTIALS_KEY changed: the page still shows what it can
        return {}


class BlueskyForm(forms.Form):
    identifier = forms.CharField(
        label="Handle", max_length=253, help_text="e.g. examplecouncil.bsky.social"
    )
    app_password = forms.CharField(
        label="App password",
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Made in Bluesky's settings for this console: not the account's own password.",
    )
    server = forms.CharField(
        label="Server (only for accounts not hosted by Bluesky)",
        max_length=200,
        required=False,
        help_text="Leave blank for bsky.social.",
    )


@require_permission("configure")
def connect(request: HttpRequest) -> HttpResponse:
    ways = [
        {
            "flow": flow,
            "app": app,
            "missing": missing_settings(app),
            "checklist": CHECKLISTS.get(flow, ()),
        }
        for flow, app in OAUTH_APPS.items()
        if flow != "mastodon"
    ]
    return render(
        request,
        "moderation/configuration/connect.html",
        {
            "nav": "settings",
            "ways": ways,
            "mastodon_checklist": CHECKLISTS["mastodon"],
            "bluesky_checklist": CHECKLISTS["bluesky"],
            "bluesky_oauth": oauth_available(),
            "redirect_uri": redirect_uri(request),
        },
    )


@require_POST
@require_permission("configure")
@transaction.non_atomic_requests
def connect_start(request: HttpRequest, flow: str) -> HttpResponse:
    channel = None
    if request.POST.get("channel", "").isdigit():
        channel = get_object_or_404(Channel, pk=int(request.POST["channel"]))
    try:
        url = start(request, flow, channel=channel, instance=request.POST.get("instance", ""))
    except ConnectionRefused as error:
        messages.error(request, str(error))
        if channel is not None:
            return redirect("moderation:channel_health", channel.pk)
        return redirect("moderation:channel_connect")
    # The platform's own sign-in page (an address built here, never one the request supplied),
    # reached from a page of ours: a redirect of this POST would be refused by the browser
    # under the console's Content-Security-Policy, form-action 'self'.
    return render(
        request,
        "moderation/configuration/connect_redirect.html",
        {"nav": "settings", "url": url, "app": OAUTH_APPS[flow]},
    )


@require_permission("configure")
@transaction.non_atomic_requests
def connect_callback(request: HttpRequest) -> HttpResponse:
    try:
        authorised = finish(request)
    except ConnectionRefused as error:
        return render(
            request,
            "moderation/configuration/connect_failed.html",
            {"nav": "settings", "reason": str(error)},
            status=400,
        )
    if authorised.channel_id is not None:
        channel = get_object_or_404(Channel, pk=authorised.channel_id)
        match = [a for a in authorised.accounts if a.account_id == channel.account_id]
        if not match:
            names = ", ".join(visible_controls(a.name) for a in authorised.accounts)
            messages.error(
                request,
                f"You signed in as an account that manages {names}, not {channel.shown_name}. "
                "Sign in as someone who manages it and reconnect again.",
            )
            return redirect("moderation:channel_health", channel.pk)
        do_reconnect_channel(channel, authorised.flow, match[0], actor=acting_user(request))
        messages.success(
            request,
            f"{channel.shown_name} is reconnected. What it missed since its last successful "
            "check is being read now.",
        )
        return redirect("moderation:channel_health", channel.pk)
    pending = do_record_authorization(
        authorised.flow, authorised.accounts, actor=acting_user(request)
    )
    return redirect("moderation:connect_choose", pending.pk)


@require_permission("configure")
def connect_choose(request: HttpRequest, pending_id: int) -> HttpResponse:
    pending = get_object_or_404(
        PendingConnection, pk=pending_id, user=request.user, expires_at__gt=timezone.now()
    )
    accounts = pending_accounts(pending)
    error = ""
    if request.method == "POST":
        try:
            channels = do_connect_authorized_accounts(
                pending, request.POST.getlist("account"), actor=acting_user(request)
            )
        except ConfigurationRefused as refused:
            error = str(refused)
        else:
            names = ", ".join(c.shown_name for c in channels)
            messages.success(
                request,
                f"Connected: {names}. The first comments are being read now; set each "
                "channel's monitoring hours on its page.",
            )
            return redirect("moderation:channels")
    connected = set(
        Channel.objects.filter(
            platform__in={a.platform for a in accounts},
            account_id__in=[a.account_id for a in accounts],
        ).values_list("account_id", flat=True)
    )
    rows = [
        {
            "account": a,
            "name": visible_controls(a.name),
            "note": visible_controls(a.note),
            "connected": a.account_id in connected,
        }
        for a in accounts
    ]
    return render(
        request,
        "moderation/configuration/connect_choose.html",
        {
            "nav": "settings",
            "app": OAUTH_APPS[pending.flow],
            "rows": rows,
            "error": error,
            "pending": pending,
        },
        status=400 if error else 200,
    )


@require_permission("configure")
@transaction.non_atomic_requests
def connect_bluesky(request: HttpRequest) -> HttpResponse:
    channel = None
    wanted = request.GET.get("channel") or request.POST.get("channel") or ""
    if wanted.isdigit():
        channel = get_object_or_404(Channel, pk=int(wanted), platform="bluesky")
    form = BlueskyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = bluesky_sign_in(data["identifier"], data["app_password"], data["server"])
            if channel is not None:
                do_reconnect_channel(channel, "app_password", account, actor=acting_user(request))
            else:
                channel = do_connect_account("app_password", account, actor=acting_user(request))
        except (ConnectionRefused, ConfigurationRefused) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{channel.shown_name} is connected.")
            return redirect("moderation:channel_health", channel.pk)
    return render(
        request,
        "moderation/configuration/connect_bluesky.html",
        {
            "nav": "settings",
            "form": form,
            "channel": channel,
            "checklist": CHECKLISTS["bluesky"],
            "oauth_available": oauth_available(),
        },
        status=400 if form.errors else 200,
    )


@require_permission("configure", or_to_read="view_reports")
def channel_health(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    now = timezone.now()
    flow = channel.connected_with or DEFAULT_FLOW.get(channel.platform, "")
    context: dict[str, Any] = {
        "nav": "settings",
        "channel": channel,
        "now": now,
        "flow": flow,
        "app": OAUTH_APPS.get(flow),
        "renewable": can_renew(channel.connected_with, _readable(channel)),
        "expired": bool(channel.token_expires_at and channel.token_expires_at <= now),
        "reconnect_soon": bool(channel.reconnect_by and (channel.reconnect_by - now).days < 14),
        "fetched": channel.last_fetched or {},
        "webhooks_subscribed_at": channel.webhooks_subscribed_at,
        "webhooks_error": visible_controls(channel.webhooks_error),
        "last_error": visible_controls(channel.last_error),
        "token_error": visible_controls(channel.token_error),
        "can_change": user_can(request.user, "configure"),
    }
    return render(request, "moderation/configuration/channel_health.html", context)


@require_POST
@require_permission("configure")
def channel_disconnect(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    if do_disconnect_channel(channel, actor=acting_user(request)):
        messages.success(
            request,
            f"{channel.shown_name} is disconnected: its credentials are forgotten and it is no "
            "longer checked. Its comments and history stay. To revoke the console's access on the "
            "platform too, remove the app in the platform's own settings.",
        )
    else:
        messages.info(request, f"{channel.shown_name} was already disconnected.")
    return redirect("moderation:channel_health", channel.pk)
