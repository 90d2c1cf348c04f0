"""Console pages. Views are thin: parse, check permission, call one action, render."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import require_permission
from moderation.models import Comment, Flag


@require_permission("work_queue")
def queue(request: HttpRequest) -> HttpResponse:
    comments = (
        Comment.objects.select_related("channel", "author")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.filter(shadow=False)))
        .order_by("-received_at", "-id")[:50]
    )
    return render(request, "moderation/console/queue.html", {"comments": comments, "nav": "queue"})
