"""Rule-set pages: the list, a rule set's versions and schedule, a version's rules, editing a
draft's rules and detector settings, and publishing with the diff shown.

Admins (``configure``) change things; managers (``view_reports``) may read. The test box,
statistics and backtests need moderation's data and live in ``moderation.configuration``
(this app may not import moderation); these pages link to them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import require_permission, user_can
from rules.actions import (
    RuleInvalid,
    do_create_ruleset,
    do_delete_rule,
    do_publish_version,
    do_save_rule,
    do_save_version_settings,
    do_schedule_ruleset,
    do_start_draft,
)
from rules.changes import describe_changes
from rules.engine import RuleSpec
from rules.engine.precision import AUTO_HIDE_PRECISION, proven_precision
from rules.forms import (
    DETECTORS,
    PublishForm,
    RuleForm,
    RuleSetForm,
    ScheduleForm,
    VersionSettingsForm,
)
from rules.models import Rule, RuleSet, RuleSetVersion

State = RuleSetVersion.State


def require_rules_reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admins and managers may read rule sets; only admins (``configure``) may POST."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user_can(user, "configure") or user_can(user, "view_reports")):
            raise PermissionDenied("Your role does not allow this (configure).")
        if request.method == "POST" and not user_can(user, "configure"):
            raise PermissionDenied("Your role can read rule sets but not change them.")
        return view(request, *args, **kwargs)

    return wrapped


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def looks_for(rule: Rule) -> str:
    """A rule's parameters in words, for the version's table."""
    params = rule.params if isinstance(rule.params, dict) else {}
    if rule.kind == "words":
        words = [str(w) for w in params.get("words", [])]
        shown = ", ".join(words[:8]) + (", …" if len(words) > 8 else "")
        plural = "s" if len(words) != 1 else ""
        return f"{len(words)} word{plural} or phrase{plural}: {shown}"
    if rule.kind == "regex":
        return f"Pattern {str(params.get('pattern', ''))[:80]}"
    options = [
        f"{name}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in params.items()
        if name != "detector"
    ]
    return " · ".join([f"Detector {params.get('detector', '?')}", *options])


def hiding_note(rule: Rule) -> str:
    """For a rule asking to hide on its own: whether it may (``rules.engine.precision``)."""
    if rule.outcome != "auto_hide":
        return ""
    spec = RuleSpec(
        key=rule.key,
        name=rule.name,
        category=rule.category,
        severity=rule.severity,
        outcome=rule.outcome,
        kind=rule.kind,
        params=rule.params,
    )
    precision = proven_precision(spec)
    if precision is not None and precision >= AUTO_HIDE_PRECISION:
        return f"Hides on its own: precision {precision:.2f} on validation."
    shown = "not measured" if precision is None else f"{precision:.2f}"
    return (
        f"Goes to review instead: hiding without a person needs precision of at least "
        f"{AUTO_HIDE_PRECISION} on validation ({shown} for this rule as written)."
    )


def _editable_version(version_id: int) -> RuleSetVersion:
    version = get_object_or_404(RuleSetVersion.objects.select_related("ruleset"), pk=version_id)
    if not version.is_editable:
        raise PermissionDenied(
            f"Version {version.number} is {version.get_state_display().lower()}: start a draft "
            "to change the rules."
        )
    return version


@require_rules_reader
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
                actor=_user(request),
            )
        except IntegrityError:
            form.add_error("name", "A rule set with this name already exists.")
        else:
            messages.success(request, f"Created “{ruleset.name}” with an empty draft.")
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


@require_rules_reader
def ruleset_detail(request: HttpRequest, ruleset_id: int) -> HttpResponse:
    ruleset = get_object_or_404(RuleSet, pk=ruleset_id)
    versions = ruleset.versions.annotate(rule_count=Count("rules")).select_related(
        "created_by", "published_by"
    )
    schedule = ScheduleForm(
        request.POST if request.method == "POST" else None,
        initial={"active_from": ruleset.active_from, "active_until": ruleset.active_until},
    )
    if request.method == "POST" and schedule.is_valid():
        try:
            do_schedule_ruleset(
                ruleset,
                active_from=schedule.cleaned_data["active_from"],
                active_until=schedule.cleaned_data["active_until"],
                actor=_user(request),
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
    draft = do_start_draft(ruleset, actor=_user(request))
    return redirect("rules:version", draft.pk)


@require_rules_reader
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        RuleSetVersion.objects.select_related("ruleset", "created_by", "published_by"),
        pk=version_id,
    )
    return render(
        request,
        "rules/version.html",
        {
            "nav": "rules",
            "version": version,
            "ruleset": version.ruleset,
            "rules": [(rule, looks_for(rule), hiding_note(rule)) for rule in version.rules.all()],
            "live": version.ruleset.versions.filter(state=State.LIVE).first(),
            "can_change": user_can(request.user, "configure"),
        },
    )


def _save_rule(
    request: HttpRequest, version: RuleSetVersion, form: RuleForm, key: str
) -> HttpResponse | None:
    try:
        do_save_rule(version, key=key, fields=form.rule_fields(), actor=_user(request))
    except RuleInvalid as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
    else:
        messages.success(request, f"Saved the rule “{form.cleaned_data['name']}”.")
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
    form = RuleForm(
        request.POST if request.method == "POST" else None,
        initial=RuleForm.initial_for(rule),
        editing=True,
    )
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
    version = _editable_version(version_id)
    rule = get_object_or_404(Rule, pk=rule_id, version=version)
    name = rule.name
    do_delete_rule(rule, actor=_user(request))
    messages.success(request, f"Removed the rule “{name}” from the draft.")
    return redirect("rules:version", version.pk)


@require_permission("configure")
def version_settings(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _editable_version(version_id)
    form = VersionSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=VersionSettingsForm.initial_for(dict(version.settings)),
        current=dict(version.settings),
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_save_version_settings(version, form.settings(), actor=_user(request))
        except RuleInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the detector settings.")
            return redirect("rules:version", version.pk)
    return render(
        request,
        "rules/version_settings.html",
        {"nav": "rules", "version": version, "ruleset": version.ruleset, "form": form},
        status=400 if form.errors else 200,
    )


@require_permission("configure")
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(RuleSetVersion.objects.select_related("ruleset"), pk=version_id)
    if not version.is_editable and request.method == "GET":
        # Published: what it changed is still there to read, at its own address.
        return redirect("rules:changes", version.pk)
    version = _editable_version(version_id)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            do_publish_version(
                version,
                actor=_user(request),
                shadow=form.cleaned_data["shadow"],
                note=form.cleaned_data["note"],
            )
        except RuleInvalid as error:
            form.add_error(None, str(error))
        else:
            state = "as a shadow version" if form.cleaned_data["shadow"] else "live"
            messages.success(request, f"Version {version.number} is published {state}.")
            return redirect("rules:ruleset", version.ruleset_id)
    return render(
        request,
        "rules/publish.html",
        {
            "nav": "rules",
            "version": version,
            "ruleset": version.ruleset,
            "changes": describe_changes(version),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_rules_reader
def version_changes(request: HttpRequest, version_id: int) -> HttpResponse:
    """What a version changed, before or after it was published (read-only)."""
    version = get_object_or_404(
        RuleSetVersion.objects.select_related("ruleset", "published_by"), pk=version_id
    )
    return render(
        request,
        "rules/changes.html",
        {
            "nav": "rules",
            "version": version,
            "ruleset": version.ruleset,
            "changes": describe_changes(version),
        },
    )
