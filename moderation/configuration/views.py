"""Admins' pages: the settings landing page, crisis mode, channels, reply templates, escalation
routes and the organisation. Views are thin: check permission, parse a form, call one audited
action, render.

Admins (``configure``) change things; managers may read the lists but get 403 on edit pages and
on every POST; officers get 403 everywhere here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.audit import Actor
from accounts.models import AuditEvent, User
from accounts.roles import require_permission, user_can
from moderation.actions.comments import ActionRefused
from moderation.actions.configuration import (
    ConfigurationRefused,
    do_connect_channel,
    do_replace_channel_credentials,
    do_save_escalation_route,
    do_save_reply_template,
    do_set_crisis_mode,
    do_set_retention_days,
    do_set_strike_threshold,
    do_update_channel,
    do_update_organisation,
)
from moderation.actions.pre_election import do_set_pre_election_period
from moderation.alerts import open_spike_alerts
from moderation.configuration.forms import (
    ChannelSettingsForm,
    ConnectChannelForm,
    CredentialsForm,
    OrganisationForm,
    PolicyNumbersForm,
    PreElectionForm,
    ReplyTemplateForm,
    RouteForm,
)
from moderation.configuration.views_webhooks import webhook_context
from moderation.connectors.base import ACTIONS
from moderation.deadlines import monitoring_hours
from moderation.hours import describe_hours
from moderation.models import Channel, EscalationRoute, Organisation, ReplyTemplate
from moderation.platforms import capabilities_for

CREDENTIAL_EVENTS = (
    "moderation.channel.connected",
    "moderation.channel.credentials_replaced",
    "moderation.channel.token_refreshed",
)


def require_configuration_reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admins and managers may read configuration; only admins (``configure``) may POST."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user_can(user, "configure") or user_can(user, "view_reports")):
            raise PermissionDenied("Your role does not allow this (configure).")
        if request.method == "POST" and not user_can(user, "configure"):
            raise PermissionDenied("Your role can read the configuration but not change it.")
        return view(request, *args, **kwargs)

    return require_permission_signed_in(wrapped)


def require_permission_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _actor(request: HttpRequest) -> Actor:
    assert isinstance(request.user, User)
    return request.user


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


# --- The landing page and crisis mode ------------------------------------------------------


@require_configuration_reader
def settings_home(request: HttpRequest) -> HttpResponse:
    channels = list(Channel.objects.order_by("platform", "name"))
    routes = EscalationRoute.objects.aggregate(
        total=Count("id"), without_email=Count("id", filter=Q(email=""))
    )
    context = {
        "nav": "settings",
        "channels": channels,
        "failing": [c for c in channels if c.status == Channel.Status.ERROR],
        "org": Organisation.current(),
        "routes": routes,
        "crisis_route": EscalationRoute.objects.filter(key="crisis").first(),
        "template_count": ReplyTemplate.objects.filter(active=True).count(),
        "spikes": open_spike_alerts(),
        "can_change": user_can(request.user, "configure"),
    }
    return render(request, "moderation/configuration/settings.html", context)


@require_POST
@require_permission("configure")
def crisis_switch(request: HttpRequest) -> HttpResponse:
    """One switch: ``scope`` is "all" or a channel id, ``on`` is "1" or "0"."""
    on = request.POST.get("on") == "1"
    scope = request.POST.get("scope", "")
    channel = None
    if scope != "all":
        channel = get_object_or_404(Channel, pk=int(scope) if scope.isdigit() else 0)
    changed = do_set_crisis_mode(channel, on, actor=_actor(request))
    where = "every channel" if channel is None else str(channel)
    if not changed:
        messages.info(request, f"Crisis mode was already {'on' if on else 'off'} for {where}.")
    elif on:
        messages.warning(
            request,
            f"Crisis mode is on for {where}. Post the listening response, then stop posting; "
            "alert your manager and the Communications Team.",
        )
    else:
        messages.success(request, f"Crisis mode is off for {where}. Normal service resumes.")
    return redirect("moderation:settings")


# --- Channels ----------------------------------------------------------------------------------


@require_configuration_reader
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
    defaults = ChannelSettingsForm.initial_for(Channel())
    form = ConnectChannelForm(request.POST if request.method == "POST" else None, initial=defaults)
    if request.method == "POST" and form.is_valid():
        try:
            channel = do_connect_channel(
                platform=form.cleaned_data["platform"],
                account_id=form.cleaned_data["account_id"],
                credentials=form.credentials(),
                actor=_actor(request),
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
    form = ChannelSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=ChannelSettingsForm.initial_for(channel),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_update_channel(channel, form.channel_values(), actor=_actor(request))
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
                channel, credentials_form.credentials(), actor=_actor(request)
            )
        except ConfigurationRefused as error:
            credentials_form.add_error(None, str(error))
        else:
            messages.success(request, "The credentials were replaced. They will not be shown.")
            return redirect("moderation:channel_edit", channel.pk)
    form = ChannelSettingsForm(initial=ChannelSettingsForm.initial_for(channel))
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


# --- Reply templates -------------------------------------------------------------------------


@require_configuration_reader
def template_list(request: HttpRequest) -> HttpResponse:
    templates = ReplyTemplate.objects.order_by("position", "name")
    return render(
        request,
        "moderation/configuration/templates.html",
        {
            "nav": "settings",
            "templates": templates,
            "can_change": user_can(request.user, "configure"),
        },
    )


@require_permission("configure")
def template_edit(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    template = get_object_or_404(ReplyTemplate, pk=template_id) if template_id else None
    initial = (
        {
            "name": template.name,
            "body": template.body,
            "for_categories": template.for_categories,
            "offered_first_in_crisis": template.offered_first_in_crisis,
            "active": template.active,
            "position": template.position,
        }
        if template
        else None
    )
    form = ReplyTemplateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        editing=template is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_reply_template(
                template,
                form.template_fields(),
                actor=_actor(request),
                key=form.cleaned_data.get("key", ""),
            )
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the template “{saved.name}”.")
            return redirect("moderation:reply_templates")
    return render(
        request,
        "moderation/configuration/template_edit.html",
        {"nav": "settings", "form": form, "template": template},
        status=400 if form.errors else 200,
    )


# --- Escalation routes -------------------------------------------------------------------------


@require_configuration_reader
def route_list(request: HttpRequest) -> HttpResponse:
    routes = EscalationRoute.objects.annotate(
        open_count=Count("escalations", filter=Q(escalations__state="open"))
    ).order_by("name")
    return render(
        request,
        "moderation/configuration/routes.html",
        {"nav": "settings", "routes": routes, "can_change": user_can(request.user, "configure")},
    )


@require_permission("configure")
def route_edit(request: HttpRequest, route_id: int | None = None) -> HttpResponse:
    route = get_object_or_404(EscalationRoute, pk=route_id) if route_id else None
    initial = (
        {
            "name": route.name,
            "email": route.email,
            "deadline_kind": route.deadline_kind,
            "deadline_amount": route.deadline_amount,
        }
        if route
        else {"deadline_kind": EscalationRoute.DeadlineKind.WORKING_DAYS, "deadline_amount": 5}
    )
    form = RouteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        editing=route is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_escalation_route(
                route,
                form.route_fields(),
                actor=_actor(request),
                key=form.cleaned_data.get("key", ""),
            )
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the route “{saved.name}”.")
            return redirect("moderation:routes")
    return render(
        request,
        "moderation/configuration/route_edit.html",
        {"nav": "settings", "form": form, "route": route},
        status=400 if form.errors else 200,
    )


# --- The organisation --------------------------------------------------------------------------


@require_configuration_reader
def organisation(request: HttpRequest) -> HttpResponse:
    """Managers see the same page with every field read-only and no save buttons."""
    org = Organisation.current()
    can_change = user_can(request.user, "configure")
    which = request.POST.get("form") if request.method == "POST" else None
    details = OrganisationForm(
        request.POST if which == "details" else None, initial=OrganisationForm.initial_for(org)
    )
    pre_election = PreElectionForm(
        request.POST if which == "pre_election" else None, instance=Organisation.current()
    )
    if which == "pre_election" and can_change and pre_election.is_valid():
        try:
            do_set_pre_election_period(
                pre_election.cleaned_data["pre_election_from"],
                pre_election.cleaned_data["pre_election_until"],
                actor=_actor(request),
            )
        except ActionRefused as error:
            pre_election.add_error(None, str(error))
        else:
            messages.success(request, "Saved the pre-election period.")
            return redirect("moderation:organisation")
    numbers = PolicyNumbersForm(
        request.POST if which == "numbers" else None,
        initial={"strike_threshold": org.strike_threshold, "retention_days": org.retention_days},
    )
    if which == "details" and details.is_valid():
        try:
            do_update_organisation(details.organisation_fields(), actor=_actor(request))
        except ConfigurationRefused as error:
            details.add_error(None, str(error))
        else:
            messages.success(request, "Saved the organisation's details.")
            return redirect("moderation:organisation")
    if which == "numbers" and numbers.is_valid():
        try:
            do_set_strike_threshold(numbers.cleaned_data["strike_threshold"], actor=_actor(request))
            do_set_retention_days(numbers.cleaned_data["retention_days"], actor=_actor(request))
        except ConfigurationRefused as error:
            numbers.add_error(None, str(error))
        else:
            messages.success(request, "Saved the strike threshold and retention period.")
            return redirect("moderation:organisation")
    if not can_change:
        for form in (details, numbers, pre_election):
            for field in form.fields.values():
                field.disabled = True
    return render(
        request,
        "moderation/configuration/organisation.html",
        {
            "nav": "settings",
            "details": details,
            "numbers": numbers,
            "pre_election": pre_election,
            "org": org,
            "can_change": can_change,
            "now": timezone.now(),
        },
        status=400 if (details.errors or numbers.errors or pre_election.errors) else 200,
    )
