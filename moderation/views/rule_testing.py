"""Trying a rule-set version out: the test box, statistics per rule, and backtests.

These pages are named in the `rules:` namespace beside the other rule pages, but they read
comments, backtests and the learned model, so they live here: `rules` may import only `accounts`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.backtests import do_start_backtest
from moderation.backtest import rule_statistics
from moderation.configuration.forms import BacktestForm, PeriodForm
from moderation.console.highlight import render_comment_html
from moderation.console.shown import ShownComment, shown_comments
from moderation.model_scores import category_scores
from moderation.models import Backtest, Comment, Organisation
from rules.compile import compiled_version
from rules.engine import Context, RuleError
from rules.fields import VisibleControlsCharField
from rules.models import RuleSet, RuleSetVersion

MAX_TEST_TEXT = 20_000
SAMPLE_SHOWN = 20


class TestTextForm(forms.Form):
    text = VisibleControlsCharField(
        label="Comment text",
        max_length=MAX_TEST_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        strip=False,
    )
    author_handle = VisibleControlsCharField(
        label="Author handle (optional)", required=False, max_length=200
    )
    author_name = VisibleControlsCharField(
        label="Author name (optional)", required=False, max_length=200
    )


@require_permission("configure", or_to_read="view_reports", reading=("GET", "HEAD", "POST"))
def rule_test(request: HttpRequest, version_id: int) -> HttpResponse:
    """The test box: evaluate text against any version, every match explained and highlighted.

    A POST here changes nothing, so managers may use it too; the text is never stored or logged.
    """
    version = get_object_or_404(RuleSetVersion.objects.select_related("ruleset"), pk=version_id)
    form = TestTextForm(request.POST if request.method == "POST" else None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        context = Context(
            author_handle=form.cleaned_data["author_handle"],
            author_name=form.cleaned_data["author_name"],
        )
        try:
            compiled = compiled_version(version, Organisation.current().engine_settings())
            matches = compiled.evaluate(text, context)
        except RuleError as error:
            form.add_error(None, f"This version does not compile: {error}")
        else:
            result = {
                "scores": category_scores(compiled, text),
                "matches": matches,
                "highlighted": render_comment_html(text, matches),
                "acting": [m for m in matches if m.outcome != "none"],
            }
    return render(
        request,
        "rules/rule_test.html",
        {"nav": "rules", "version": version, "form": form, "result": result},
        status=400 if form.errors else 200,
    )


@require_permission("configure", or_to_read="view_reports")
def rule_stats(request: HttpRequest, ruleset_id: int) -> HttpResponse:
    ruleset = get_object_or_404(RuleSet, pk=ruleset_id)
    period = PeriodForm(request.GET or None)
    since = until = None
    if period.is_bound and period.is_valid():
        since, until = period.bounds()
    rows = rule_statistics(ruleset.pk, since, until)
    return render(
        request,
        "rules/rule_stats.html",
        {"nav": "rules", "ruleset": ruleset, "rows": rows, "period": period},
    )


@require_permission("configure", or_to_read="view_reports")
def backtests(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(RuleSetVersion.objects.select_related("ruleset"), pk=version_id)
    today = timezone.localdate()
    form = BacktestForm(
        request.POST if request.method == "POST" else None,
        initial={"since": today - dt.timedelta(days=30), "until": today},
    )
    if request.method == "POST" and form.is_valid():
        since, until = form.bounds()
        assert since is not None and until is not None
        try:
            backtest = do_start_backtest(version, since, until, actor=acting_user(request))
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The backtest has started.")
            return redirect("rules:backtest", backtest.pk)
    return render(
        request,
        "rules/backtests.html",
        {
            "nav": "rules",
            "version": version,
            "form": form,
            "backtests": version.backtests.all()[:20],
            "can_change": user_can(request.user, "configure"),
        },
        status=400 if form.errors else 200,
    )


@require_permission("configure", or_to_read="view_reports")
def backtest_detail(request: HttpRequest, backtest_id: int) -> HttpResponse:
    backtest = get_object_or_404(
        Backtest.objects.select_related("version__ruleset"), pk=backtest_id
    )
    results = backtest.results or {}
    samples: dict[str, list[ShownComment]] = {}
    for key in ("newly_flagged_sample", "no_longer_flagged_sample"):
        ids = [i for i in results.get(key, []) if isinstance(i, int)][:SAMPLE_SHOWN]
        found = Comment.objects.select_related("channel").in_bulk(ids)
        samples[key] = shown_comments(request, [found[i] for i in ids if i in found], 300)
    # Every rule of the version, those with no hits too (older backtests listed only the rest).
    names = dict(backtest.version.rules.values_list("key", "name"))
    # Hits of no rule of the version (the learned stage's), named as the engine named them.
    names = {**(results.get("rule_names") or {}), **names}
    hits = {**dict.fromkeys(names, 0), **(results.get("per_rule") or {})}
    per_rule = sorted(
        ((key, names.get(key, key), int(count)) for key, count in hits.items()),
        key=lambda row: (-row[2], row[0]),
    )
    context = {
        "nav": "rules",
        "backtest": backtest,
        "results": results,
        "newly": samples["newly_flagged_sample"],
        "no_longer": samples["no_longer_flagged_sample"],
        "per_rule": per_rule,
        "model_rows": [
            (category.replace("_", " "), row)
            for category, row in (results.get("model") or {}).items()
            if isinstance(row, dict)
        ],
        "running": backtest.state in (Backtest.State.QUEUED, Backtest.State.RUNNING),
    }
    template = (
        "rules/_backtest_progress.html"
        if request.headers.get("HX-Request")
        else "rules/backtest.html"
    )
    return render(request, template, context)
