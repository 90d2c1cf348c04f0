"""The settings landing page and crisis mode (for every channel or one)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.organisation import do_set_crisis_mode
from moderation.models import Channel, EscalationRoute, Organisation, ReplyTemplate
from moderation.spikes import open_spike_alerts


@require_permission("configure", or_to_read="view_reports")
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
    changed = do_set_crisis_mode(channel, on, actor=acting_user(request))
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
