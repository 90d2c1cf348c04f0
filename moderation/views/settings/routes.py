"""Escalation routes: the list and the edit page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.escalation_routes import do_save_escalation_route
from moderation.configuration.model_forms import RouteForm
from moderation.models import EscalationRoute


@require_permission("configure", or_to_read="view_reports")
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
    form = RouteForm(
        request.POST if request.method == "POST" else None,
        instance=route,
        editing=route is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_escalation_route(
                route,
                form.changed_fields(),
                actor=acting_user(request),
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
