"""Rule sets: the list, one rule set's versions, and starting a draft."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.names import neutralise_bidi
from accounts.roles import acting_user, require_permission, user_can
from rules.actions import (
    RuleInvalid,
    do_create_ruleset,
    do_schedule_ruleset,
    do_start_draft,
)
from rules.forms import (
    RuleSetForm,
    ScheduleForm,
)
from rules.models import RuleSet, RuleSetVersion
from rules.views.versions import State


@require_permission("configure", or_to_read="view_reports")
def ruleset_list(request: HttpRequest) -> HttpResponse:
    rulesets = RuleSet.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=RuleSetVersion.objects.exclude(state=State.ARCHIVED).annotate(
                rule_count=Count("rules")
            ),
        )
    ).order_by("-is_default", "name")
    form = RuleSetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ruleset, draft = do_create_ruleset(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=acting_user(request),
            )
        except IntegrityError:
            form.add_error("name", "A rule set with this name already exists.")
        else:
            name = neutralise_bidi(ruleset.name)
            messages.success(request, f"Created “{name}” with an empty draft.")
            return redirect("rules:version", draft.pk)
    return render(
        request,
        "rules/list.html",
        {
            "nav": "rules",
            "rulesets": rulesets,
            "form": form,
            "can_change": user_can(request.user, "configure"),
        },
        status=400 if form.errors else 200,
    )


@require_permission("configure", or_to_read="view_reports")
def ruleset_detail(request: HttpRequest, ruleset_id: int) -> HttpResponse:
    ruleset = get_object_or_404(RuleSet, pk=ruleset_id)
    versions = ruleset.versions.annotate(rule_count=Count("rules")).select_related(
        "created_by", "published_by"
    )
    schedule = ScheduleForm(request.POST if request.method == "POST" else None, instance=ruleset)
    if request.method == "POST" and schedule.is_valid():
        try:
            do_schedule_ruleset(
                ruleset,
                active_from=schedule.cleaned_data["active_from"],
                active_until=schedule.cleaned_data["active_until"],
                actor=acting_user(request),
            )
        except RuleInvalid as error:
            schedule.add_error(None, str(error))
        else:
            messages.success(request, "Saved the period.")
            return redirect("rules:ruleset", ruleset.pk)
    return render(
        request,
        "rules/ruleset.html",
        {
            "nav": "rules",
            "ruleset": ruleset,
            "versions": versions,
            "draft": next((v for v in versions if v.state == State.DRAFT), None),
            "schedule": schedule,
            "can_change": user_can(request.user, "configure"),
        },
        status=400 if schedule.errors else 200,
    )


@require_POST
@require_permission("configure")
def start_draft(request: HttpRequest, ruleset_id: int) -> HttpResponse:
    ruleset = get_object_or_404(RuleSet, pk=ruleset_id)
    draft = do_start_draft(ruleset, actor=acting_user(request))
    return redirect("rules:version", draft.pk)
