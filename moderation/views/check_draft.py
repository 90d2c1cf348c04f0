"""Check a draft: a reply or post checked against the policy before anyone sends it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import require_permission
from moderation.console.forms_policy import (
    DraftForm,
)
from moderation.models import Organisation
from moderation.send_check import check_for


@require_permission("work_queue")
def check_draft(request: HttpRequest) -> HttpResponse:
    """A box to check a post before publishing it anywhere: nothing is sent or stored."""
    form = DraftForm(request.POST or None)
    check = None
    if request.method == "POST" and form.is_valid():
        check = check_for(form.cleaned_data["text"], Organisation.current())
    return render(
        request,
        "moderation/console/check_draft.html",
        {"nav": "check", "form": form, "check": check},
    )
