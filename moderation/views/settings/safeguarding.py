"""The on-call contact and the allow-list of public contact details: admins change them,
managers read them. Thin views: a ModelForm validates, one audited action changes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.safeguarding import (
    do_add_allow_list_entry,
    do_remove_allow_list_entry,
    do_set_on_call_contact,
)
from moderation.configuration.forms_safeguarding import AllowListEntryForm, OnCallContactForm
from moderation.models import AllowListEntry, Organisation


@require_permission("configure", or_to_read="view_reports")
def on_call(request: HttpRequest) -> HttpResponse:
    org = Organisation.current()
    form = OnCallContactForm(request.POST if request.method == "POST" else None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_on_call_contact(
                form.cleaned_data["on_call_name"],
                form.cleaned_data["on_call_email"],
                actor=acting_user(request),
            )
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the on-call contact.")
            return redirect("moderation:on_call")
    return render(
        request,
        "moderation/configuration/on_call.html",
        {"nav": "settings", "form": form, "can_change": user_can(request.user, "configure")},
        status=400 if form.errors else 200,
    )


@require_permission("configure", or_to_read="view_reports")
def allow_list(request: HttpRequest) -> HttpResponse:
    form = AllowListEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = do_add_allow_list_entry(
                form.cleaned_data["kind"],
                form.cleaned_data["value"],
                form.cleaned_data["note"],
                actor=acting_user(request),
            )
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added {entry} to the allow-list.")
            return redirect("moderation:allow_list")
    return render(
        request,
        "moderation/configuration/allow_list.html",
        {
            "nav": "settings",
            "form": form,
            "entries": AllowListEntry.objects.all(),
            "can_change": user_can(request.user, "configure"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@require_permission("configure", or_to_read="view_reports")
def allow_list_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(AllowListEntry, pk=entry_id)
    shown = str(entry)
    do_remove_allow_list_entry(entry, actor=acting_user(request))
    messages.success(request, f"Removed {shown} from the allow-list.")
    return redirect("moderation:allow_list")
