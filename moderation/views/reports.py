"""Managers' reports: on screen, on paper, and as CSV, for a chosen period."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import require_permission
from moderation.actions.exports import do_record_export
from moderation.reports import exports
from moderation.reports.appeals import appeals_section
from moderation.reports.by_tag import tags_section
from moderation.reports.forms import (
    ReportPeriodForm,
    london_today,
    preset_periods,
)
from moderation.reports.period import ReportPeriod
from moderation.reports.report import Report, build_report
from moderation.reports.sections import headline, report_sections
from moderation.reports.tables import Section, headline_section


def _as_response(response: StreamingHttpResponse) -> HttpResponse:
    # ``require_permission`` is typed for HttpResponse views; Django serves either kind alike.
    return cast(HttpResponse, response)


def _period_form(request: HttpRequest) -> tuple[ReportPeriodForm, ReportPeriod]:
    bound = any(name in request.GET for name in ("start", "end", "channel"))
    form = ReportPeriodForm(request.GET if bound else None)
    period = form.period(london_today())
    if not bound or form.is_valid():
        # Show the period actually used, with any blanks filled in.
        form = ReportPeriodForm(
            initial={"start": period.start, "end": period.end, "channel": period.channel_id}
        )
    return form, period


def _period_query(period: ReportPeriod) -> str:
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if period.channel_id is not None:
        params["channel"] = str(period.channel_id)
    return urlencode(params)


def _sections(report: Report) -> list[Section]:
    """Every table of the report, in order, for the page, the paper and the CSV alike (the
    headline figures first: the page shows them as cards)."""
    return [
        headline_section(headline(report)),
        *report_sections(report),
        tags_section(report),
        appeals_section(report.period),
    ]


def _report_context(report: Report) -> dict[str, Any]:
    headline_figures, *sections = _sections(report)
    return {
        "report": report,
        "headline": headline_figures.tables[0],
        "sections": sections,
        "query": _period_query(report.period),
        "nav": "reports",
    }


@require_GET
@require_permission("view_reports")
def reports(request: HttpRequest) -> HttpResponse:
    form, period = _period_form(request)
    today = london_today()
    presets = [
        (label, urlencode({"start": start.isoformat(), "end": end.isoformat()}))
        for label, start, end in preset_periods(today)
    ]
    context = _report_context(build_report(period))
    return render(
        request, "moderation/reports/index.html", {**context, "form": form, "presets": presets}
    )


@require_GET
@require_permission("view_reports")
def reports_print(request: HttpRequest) -> HttpResponse:
    _, period = _period_form(request)
    return render(request, "moderation/reports/print.html", _report_context(build_report(period)))


# The CSV keeps figures as numbers a spreadsheet can sum; the page shows "25%" and "1 h 05 min".
CSV_UNITS = "Percentages as numbers (25.0 is 25%); times in minutes (65.0 is 1 h 05 min)"


# An export is recorded in the audit log, so it is a POST from the page's form (CSRF-checked), as
# every recorded action is: a prefetch or crawler following a GET must not write audit rows. The
# period stays in the form's address (the same query as the page's); the button names the table.
@require_POST
@require_permission("view_reports")
def reports_export(request: HttpRequest) -> HttpResponse:
    _, period = _period_form(request)
    report = build_report(period)
    sections = _sections(report)
    table_keys = {table.key for section in sections for table in section.tables}
    only = request.POST.get("table") or request.GET.get("table", "")
    only = only if only in table_keys else ""
    preamble = [
        ("Report", "Social media moderation report"),
        ("Organisation", report.organisation_name),
        ("Period", report.period.label),
        ("Channels", report.channel_name),
        ("Generated", timezone.localtime(report.generated_at).strftime("%d %B %Y %H:%M")),
        ("Units", CSV_UNITS),
    ]
    do_record_export(
        "report",
        {"period": _period_query(period), **({"table": only} if only else {})},
        actor=request.user,  # type: ignore[arg-type]
    )
    filename = f"report-{period.start:%Y%m%d}-{period.end:%Y%m%d}{'-' + only if only else ''}.csv"
    return _as_response(
        exports.streaming_csv(exports.report_rows(sections, preamble, only), filename)
    )
