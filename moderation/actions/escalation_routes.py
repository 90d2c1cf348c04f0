"""Audited changes to escalation routes. What makes a route valid lives in the model
(``EscalationRoute.clean``); the action asks it, for any caller."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import Actor, record
from moderation.actions.configuration import ConfigurationRefused, changed_values, first_message
from moderation.models import EscalationRoute

ROUTE_FIELDS = ("name", "email", "deadline_kind", "deadline_amount")


def route_snapshot(route: EscalationRoute) -> dict[str, Any]:
    return {"key": route.key, **{f: getattr(route, f) for f in ROUTE_FIELDS}}


@transaction.atomic
def do_save_escalation_route(
    route: EscalationRoute | None,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    key: str = "",
) -> EscalationRoute:
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown route fields: {', '.join(sorted(unknown))}.")
    if route is None:
        if not key or EscalationRoute.objects.filter(key=key).exists():
            raise ConfigurationRefused("Choose a short key that no other route uses.")
        route = EscalationRoute(key=key)
        before = None
    else:
        route = EscalationRoute.objects.select_for_update().get(pk=route.pk)
        before = route_snapshot(route)
    for name, value in fields.items():
        setattr(route, name, value)
    try:
        route.full_clean()
    except ValidationError as error:
        raise ConfigurationRefused(first_message(error)) from None
    route.save()
    after = route_snapshot(route)
    old, new = changed_values(before, after) if before else (None, after)
    if before and not new:
        return route
    record("moderation.route.saved", actor=actor, target=route, before=old, after=new)
    return route
