"""The organisation's settings and which replies wait for a manager's approval."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.approval import do_set_reply_approval
from moderation.actions.comments import ActionRefused
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.organisation import (
    do_set_retention_days,
    do_set_strike_threshold,
    do_update_organisation,
)
from moderation.actions.pre_election import do_set_pre_election_period
from moderation.configuration.forms import (
    OrganisationForm,
    PolicyNumbersForm,
    PreElectionForm,
    ReplyApprovalForm,
)
from moderation.models import Channel, Organisation


@require_permission("configure", or_to_read="view_reports")
def organisation(request: HttpRequest) -> HttpResponse:
    """Managers see the same page with every field read-only and no save buttons."""
    org = Organisation.current()
    can_change = user_can(request.user, "configure")
    which = request.POST.get("form") if request.method == "POST" else None
    details = OrganisationForm(request.POST if which == "details" else None, instance=org)
    pre_election = PreElectionForm(
        request.POST if which == "pre_election" else None, instance=Organisation.current()
    )
    if which == "pre_election" and can_change and pre_election.is_valid():
        try:
            do_set_pre_election_period(
                pre_election.cleaned_data["pre_election_from"],
                pre_election.cleaned_data["pre_election_until"],
                actor=acting_user(request),
            )
        except ActionRefused as error:
            pre_election.add_error(None, str(error))
        else:
            messages.success(request, "Saved the pre-election period.")
            return redirect("moderation:organisation")
    numbers = PolicyNumbersForm(request.POST if which == "numbers" else None, instance=org)
    if which == "details" and details.is_valid():
        try:
            do_update_organisation(details.organisation_fields(), actor=acting_user(request))
        except ConfigurationRefused as error:
            details.add_error(None, str(error))
        else:
            messages.success(request, "Saved the organisation's details.")
            return redirect("moderation:organisation")
    if which == "numbers" and numbers.is_valid():
        try:
            do_set_strike_threshold(
                numbers.cleaned_data["strike_threshold"], actor=acting_user(request)
            )
            do_set_retention_days(
                numbers.cleaned_data["retention_days"], actor=acting_user(request)
            )
        except ConfigurationRefused as error:
            numbers.add_error(None, str(error))
        else:
            messages.success(request, "Saved the strike threshold and retention period.")
            return redirect("moderation:organisation")
    if not can_change:
        for form in (details, numbers, pre_election):
            for field in form.fields.values():
                field.disabled = True
    return render(
        request,
        "moderation/configuration/organisation.html",
        {
            "nav": "settings",
            "details": details,
            "numbers": numbers,
            "pre_election": pre_election,
            "org": org,
            "can_change": can_change,
            "now": timezone.now(),
        },
        status=400 if (details.errors or numbers.errors or pre_election.errors) else 200,
    )


@require_permission("configure")
def reply_approval(request: HttpRequest) -> HttpResponse:
    org = Organisation.current()
    initial = {
        "channels": list(Channel.objects.filter(replies_need_approval=True)),
        "categories": org.reply_approval_categories,
    }
    form = ReplyApprovalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_set_reply_approval(
                [channel.pk for channel in form.cleaned_data["channels"]],
                form.cleaned_data["categories"],
                actor=acting_user(request),
            )
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect("moderation:reply_approval")
    return render(
        request,
        "moderation/configuration/reply_approval.html",
        {"nav": "settings", "form": form},
        status=400 if form.errors else 200,
    )
