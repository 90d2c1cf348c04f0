"""A rule-set version: its rules, its detector settings, publishing it and what it changed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import acting_user, require_permission, user_can
from rules.actions import (
    RuleInvalid,
    do_publish_version,
    do_save_version_settings,
)
from rules.changes import describe_changes
from rules.engine import RuleSpec
from rules.engine.precision import AUTO_HIDE_PRECISION, proven_precision
from rules.forms import (
    PublishForm,
    VersionSettingsForm,
)
from rules.models import CATEGORY_CHOICES, Rule, RuleSetVersion

State = RuleSetVersion.State


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


CATEGORY_NAMES = dict(CATEGORY_CHOICES)


def _category_names(keys: object) -> list[str]:
    return [CATEGORY_NAMES.get(str(k), str(k)) for k in keys] if isinstance(keys, list) else []


def _learned_in_words(block: object) -> str:
    if not isinstance(block, dict) or not block.get("enabled"):
        return "Off."
    words = ["On."]
    thresholds = block.get("thresholds")
    if isinstance(thresholds, dict) and thresholds:
        named = sorted((CATEGORY_NAMES.get(k, k), v) for k, v in thresholds.items())
        words.append(
            "Flag at a score of at least: "
            + " · ".join(f"{name} {float(value):.2f}" for name, value in named)
            + "."
        )
    if disabled := _category_names(block.get("disabled")):
        words.append(f"Not used for: {', '.join(disabled)}.")
    return " ".join(words)


def settings_in_words(settings: dict[str, object]) -> list[tuple[str, str]]:
    """A version's detector settings as a council admin reads them (the form's own terms)."""
    shown = []
    for key, value in settings.items():
        if key == "model":
            shown.append(("Learned classifiers", _learned_in_words(value)))
        elif isinstance(value, list):
            label = "Blocked domains" if key == "blocked_domains" else key.replace("_", " ")
            shown.append((label.capitalize(), ", ".join(map(str, value)) or "none"))
        elif isinstance(value, dict):
            pairs = (f"{k.replace('_', ' ')}: {v}" for k, v in value.items())
            shown.append((key.replace("_", " ").capitalize(), " · ".join(pairs)))
        else:
            shown.append((key.replace("_", " ").capitalize(), str(value)))
    return shown


def _editable_version(version_id: int) -> RuleSetVersion:
    version = get_object_or_404(RuleSetVersion.objects.select_related("ruleset"), pk=version_id)
    if not version.is_editable:
        raise PermissionDenied(
            f"Version {version.number} is {version.get_state_display().lower()}: start a draft "
            "to change the rules."
        )
    return version


@require_permission("configure", or_to_read="view_reports")
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
            "settings": settings_in_words(dict(version.settings or {})),
            "live": version.ruleset.versions.filter(state=State.LIVE).first(),
            "can_change": user_can(request.user, "configure"),
        },
    )


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
            do_save_version_settings(version, form.settings(), actor=acting_user(request))
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
                actor=acting_user(request),
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


@require_permission("configure", or_to_read="view_reports")
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
