"""Escalation routes: the list and the edit page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.audit import Actor
from accounts.roles import require_permission, user_can
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.escalation_routes import do_save_escalation_route
from moderation.configuration.model_forms import EditsOneModel, RouteForm
from moderation.models import EscalationRoute
from moderation.views.settings.edit_one import edit_one


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
    return edit_one(
        request,
        get_object_or_404(EscalationRoute, pk=route_id) if route_id else None,
        form_class=RouteForm,
        save=_save_route,
        refused=ConfigurationRefused,
        noun="route",
        page="moderation/configuration/route_edit.html",
        back_to="moderation:routes",
    )


def _save_route(
    route: EscalationRoute | None, form: EditsOneModel, actor: Actor
) -> EscalationRoute:
    key = form.cleaned_data.get("key", "")
    return do_save_escalation_route(route, form.changed_fields(), actor=actor, key=key)
