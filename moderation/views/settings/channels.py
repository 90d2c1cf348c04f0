"""Channels: the list, adding one by hand, its settings and its credentials."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import AuditEvent
from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.channels import (
    do_connect_channel,
    do_replace_channel_credentials,
    do_update_channel,
)
from moderation.actions.configuration import ConfigurationRefused
from moderation.configuration.channel_forms import (
    ChannelSettingsForm,
    ConnectChannelForm,
    CredentialsForm,
)
from moderation.connectors.base import ACTIONS
from moderation.deadlines import monitoring_hours
from moderation.hours import describe_hours
from moderation.models import Channel
from moderation.platforms import capabilities_for
from moderation.views.settings.webhooks import webhook_context

CREDENTIAL_EVENTS = (
    "moderation.channel.connected",
    "moderation.channel.credentials_replaced",
    "moderation.channel.token_refreshed",
)


def hours_label(channel: Channel) -> str:
    hours = monitoring_hours(channel)
    if hours.always:
        return describe_hours(hours)
    holidays = "bank holidays monitored" if hours.bank_holidays_monitored else "not bank holidays"
    return f"{describe_hours(hours)}, {holidays}"


def credentials_set_on(channel_ids: list[int]) -> dict[int, Any]:
    """When each channel's credentials were last entered, from the audit log (one query)."""
    rows = (
        AuditEvent.objects.filter(
            event_type__in=CREDENTIAL_EVENTS,
            target_type="moderation.channel",
            target_id__in=[str(i) for i in channel_ids],
        )
        .values("target_id")
        .annotate(last=Max("occurred_at"))
    )
    return {int(row["target_id"]): row["last"] for row in rows}


@require_permission("configure", or_to_read="view_reports")
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = list(Channel.objects.select_related("ruleset").order_by("platform", "name"))
    set_on = credentials_set_on([c.pk for c in channels])
    rows = [
        {
            "channel": c,
            "hours": hours_label(c),
            "credentials_set_on": set_on.get(c.pk) if c.credentials else None,
        }
        for c in channels
    ]
    return render(
        request,
        "moderation/configuration/channels.html",
        {"nav": "settings", "rows": rows, "can_change": user_can(request.user, "configure")},
    )


@require_permission("configure")
def channel_new(request: HttpRequest) -> HttpResponse:
    form = ConnectChannelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = do_connect_channel(
                platform=form.cleaned_data["platform"],
                account_id=form.cleaned_data["account_id"],
                credentials=form.credentials(),
                actor=acting_user(request),
                **form.channel_values(),
            )
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{channel} is connected.")
            return redirect("moderation:channel_edit", channel.pk)
    return render(
        request, "moderation/configuration/channel_new.html", {"nav": "settings", "form": form}
    )


@require_permission("configure")
def channel_edit(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel.objects.select_related("ruleset"), pk=channel_id)
    form = ChannelSettingsForm(request.POST if request.method == "POST" else None, instance=channel)
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_update_channel(channel, form.channel_values(), actor=acting_user(request))
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect("moderation:channel_edit", channel.pk)
    return _channel_page(request, channel, form, CredentialsForm())


@require_POST
@require_permission("configure")
def channel_credentials(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    credentials_form = CredentialsForm(request.POST)
    if credentials_form.is_valid():
        try:
            do_replace_channel_credentials(
                channel, credentials_form.credentials(), actor=acting_user(request)
            )
        except ConfigurationRefused as error:
            credentials_form.add_error(None, str(error))
        else:
            messages.success(request, "The credentials were replaced. They will not be shown.")
            return redirect("moderation:channel_edit", channel.pk)
    form = ChannelSettingsForm(instance=channel)
    return _channel_page(request, channel, form, CredentialsForm(), credentials_form.errors)


def _channel_page(
    request: HttpRequest,
    channel: Channel,
    form: ChannelSettingsForm,
    credentials_form: CredentialsForm,
    credentials_errors: Any = None,
) -> HttpResponse:
    caps = capabilities_for(channel)
    context = {
        "nav": "settings",
        "channel": channel,
        "form": form,
        "credentials_form": credentials_form,
        "credentials_errors": credentials_errors,
        "credentials_set_on": credentials_set_on([channel.pk]).get(channel.pk)
        if channel.credentials
        else None,
        "hours": hours_label(channel),
        "capabilities": [
            (
                caps.labels.get(kind, kind.replace("_", " ")),
                caps.allows(kind),
                caps.notes.get(kind, ""),
            )
            for kind in ACTIONS
        ],
        "capability_note": caps.notes.get("all", ""),
        **webhook_context(request, channel),
    }
    status = 400 if (form.errors or credentials_errors) else 200
    return render(request, "moderation/configuration/channel_edit.html", context, status=status)
