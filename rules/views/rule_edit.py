"""Adding, editing and removing a rule in a draft version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.names import neutralise_bidi
from accounts.roles import acting_user, require_permission
from rules.actions import (
    RuleInvalid,
    do_delete_rule,
    do_save_rule,
)
from rules.forms import (
    DETECTORS,
    RuleForm,
)
from rules.models import Rule, RuleSetVersion
from rules.views.versions import _editable_version


def _save_rule(
    request: HttpRequest, version: RuleSetVersion, form: RuleForm, key: str
) -> HttpResponse | None:
    try:
        do_save_rule(version, key=key, fields=form.rule_fields(), actor=acting_user(request))
    except RuleInvalid as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
    else:
        messages.success(request, f"Saved the rule “{neutralise_bidi(form.cleaned_data['name'])}”.")
        return redirect("rules:version", version.pk)
    return None


@require_permission("configure")
def rule_new(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _editable_version(version_id)
    form = RuleForm(
        request.POST if request.method == "POST" else None,
        initial={"severity": 3, "outcome": "review"},
    )
    if request.method == "POST" and form.is_valid():
        if version.rules.filter(key=form.cleaned_data["key"]).exists():
            form.add_error("key", "This version already has a rule with this key.")
        else:
            response = _save_rule(request, version, form, form.cleaned_data["key"])
            if response is not None:
                return response
    return _rule_page(request, version, form, None)


@require_permission("configure")
def rule_edit(request: HttpRequest, version_id: int, rule_id: int) -> HttpResponse:
    version = _editable_version(version_id)
    rule = get_object_or_404(Rule, pk=rule_id, version=version)
    form = RuleForm(request.POST if request.method == "POST" else None, instance=rule, editing=True)
    if request.method == "POST" and form.is_valid():
        response = _save_rule(request, version, form, rule.key)
        if response is not None:
            return response
    return _rule_page(request, version, form, rule)


def _rule_page(
    request: HttpRequest, version: RuleSetVersion, form: RuleForm, rule: Rule | None
) -> HttpResponse:
    return render(
        request,
        "rules/rule_edit.html",
        {
            "nav": "rules",
            "version": version,
            "ruleset": version.ruleset,
            "form": form,
            "rule": rule,
            "detectors": DETECTORS,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@require_permission("configure")
def rule_delete(request: HttpRequest, version_id: int, rule_id: int) -> HttpResponse:
    """The first press asks (a page of its own, so it works without JavaScript); the second,
    with ``confirmed=yes``, removes the rule."""
    version = _editable_version(version_id)
    rule = get_object_or_404(Rule, pk=rule_id, version=version)
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "rules/rule_delete.html",
            {"nav": "rules", "version": version, "ruleset": version.ruleset, "rule": rule},
        )
    name = neutralise_bidi(rule.name)
    do_delete_rule(rule, actor=acting_user(request))
    messages.success(request, f"Removed the rule “{name}” from the draft.")
    return redirect("rules:version", version.pk)
