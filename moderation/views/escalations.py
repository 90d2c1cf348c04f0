"""The escalations page (open escalations by route and deadline) and closing one."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.comments import (
    ActionRefused,
    do_close_escalation,
)
from moderation.console.forms import (
    CloseEscalationForm,
)
from moderation.console.highlight import redact_personal_data, render_comment_html
from moderation.console.shown import masks_personal_data, visible_flags
from moderation.console.status import describe_moment
from moderation.deadlines import is_overdue_escalation
from moderation.models import (
    Escalation,
    EscalationRoute,
)
from moderation.views.acting import back_to


@require_permission("work_queue")
def escalations(request: HttpRequest) -> HttpResponse:
    """Open escalations by route and deadline, overdue first within each route."""
    now = timezone.now()
    me = acting_user(request)
    routes = list(EscalationRoute.objects.all())
    route_key = request.GET.get("route", "")[:30]
    mine = request.GET.get("mine") == "1"
    state = "closed" if request.GET.get("state") == "closed" else "open"
    open_escalations = Escalation.objects.filter(state=state).select_related(
        "route", "assignee", "comment", "comment__channel", "comment__author"
    )
    if route_key:
        open_escalations = open_escalations.filter(route__key=route_key)
    if mine:
        open_escalations = open_escalations.filter(assignee=me)
    ordered = open_escalations.order_by(
        "route__name", "deadline_at" if state == "open" else "-closed_at", "id"
    )[:300]
    items = list(ordered.prefetch_related(Prefetch("comment__flags", queryset=visible_flags())))
    rows = [
        {
            "escalation": e,
            "overdue": is_overdue_escalation(e.state, e.deadline_at, now),
            "deadline": describe_moment(e.deadline_at, now),
            "snippet": render_comment_html(
                e.comment.text,
                list(e.comment.flags.all()),
                mask_personal_data=masks_personal_data(request, e.comment_id),
                limit=200,
            ),
            "note": (
                redact_personal_data(e.note, e.comment.text, list(e.comment.flags.all()))
                if masks_personal_data(request, e.comment_id)
                else e.note
            ),
        }
        for e in items
    ]
    return render(
        request,
        "moderation/console/escalations.html",
        {
            "nav": "escalations",
            "rows": rows,
            "routes": routes,
            "route_key": route_key,
            "mine": mine,
            "state": state,
            "close_form": CloseEscalationForm(),
            "overdue_count": sum(1 for r in rows if r["overdue"]),
        },
    )


@require_POST
@require_permission("work_queue")
def close_escalation(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_object_or_404(Escalation.objects.select_related("route"), pk=pk)
    form = CloseEscalationForm(request.POST)
    note_text = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        do_close_escalation(escalation, actor=acting_user(request), note=note_text)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Closed the {escalation.route} escalation.")
    return back_to(request, reverse("moderation:escalations"))
