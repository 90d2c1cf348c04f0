"""The status page: services, workers, queues, and quarantined items."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.quarantine import do_reveal_quarantined_item
from moderation.classifiers.status import classifier_statuses
from moderation.health import health
from moderation.models import QuarantinedItem

QUARANTINE_SHOWN = 100
REVEALED_SESSION_KEY = "status_revealed_quarantine"
MAX_REVEALED_KEPT = 20


@require_permission("configure")
def status(request: HttpRequest) -> HttpResponse:
    revealed = set(request.session.get(REVEALED_SESSION_KEY, []))
    items = list(
        QuarantinedItem.objects.select_related("channel").order_by("-created_at", "-id")[
            :QUARANTINE_SHOWN
        ]
    )
    report = health()
    context = {
        "nav": "settings",
        "health": report,
        "checks": report.checks,
        "quarantined": [(item, item.pk in revealed) for item in items],
        "quarantined_total": QuarantinedItem.objects.count(),
        "shown": QUARANTINE_SHOWN,
        "can_reveal": user_can(acting_user(request), "reveal_personal_data"),
        "classifiers": classifier_statuses(),
    }
    return render(request, "moderation/configuration/status.html", context)


@require_POST
@require_permission("configure")
def reveal_quarantined(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(QuarantinedItem, pk=item_id)
    do_reveal_quarantined_item(item, actor=acting_user(request))
    kept = [i for i in request.session.get(REVEALED_SESSION_KEY, []) if i != item.pk]
    request.session[REVEALED_SESSION_KEY] = [item.pk, *kept][:MAX_REVEALED_KEPT]
    return redirect(reverse("moderation:status") + f"#quarantined-{item.pk}")
