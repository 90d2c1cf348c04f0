"""The admins' status page: how the services are (``moderation.health``), and quarantined items
(what could not take the usual path, and why).

A quarantined item is kept as the platform sent it, which may hold personal data the console
otherwise masks: it is shown only after an audited reveal, like a comment's personal data.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import require_permission, user_can
from moderation.actions.quarantine import do_reveal_quarantined_item
from moderation.classifiers.status import classifier_statuses
from moderation.health import health
from moderation.models import QuarantinedItem

QUARANTINE_SHOWN = 100
REVEALED_SESSION_KEY = "status_revealed_quarantine"
MAX_REVEALED_KEPT = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


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
        "can_reveal": user_can(_user(request), "reveal_personal_data"),
        "classifiers": classifier_statuses(),
    }
    return render(request, "moderation/configuration/status.html", context)


@require_POST
@require_permission("configure")
def reveal_quarantined(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(QuarantinedItem, pk=item_id)
    do_reveal_quarantined_item(item, actor=_user(request))
    kept = [i for i in request.session.get(REVEALED_SESSION_KEY, []) if i != item.pk]
    request.session[REVEALED_SESSION_KEY] = [item.pk, *kept][:MAX_REVEALED_KEPT]
    return redirect(reverse("moderation:status") + f"#quarantined-{item.pk}")
