"""Audited changes to escalation routes. What makes a route valid lives in the model
(``EscalationRoute.clean``); the action asks it, for any caller."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.audit import Actor
from moderation.actions.configuration import save_keyed_row
from moderation.models import EscalationRoute

ROUTE_FIELDS = ("name", "email", "deadline_kind", "deadline_amount")


@transaction.atomic
def do_save_escalation_route(
    route: EscalationRoute | None,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    key: str = "",
) -> EscalationRoute:
    return save_keyed_row(
        EscalationRoute,
        route,
        fields,
        allowed=ROUTE_FIELDS,
        key=key,
        what="route",
        event="moderation.route.saved",
        actor=actor,
    )
