"""Managers' pages: the report (screen, print, CSV) and the audit log (browse, CSV, verify).

Thin views: read the filters, compute (``queries``/``audit_log``), render. The only write is the
audit record of an export, through ``moderation.actions.exports.do_record_export``.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import last_verification, verify_chain
from accounts.models import AuditEvent
from accounts.roles import require_permission
from moderation.actions.exports import do_record_export
from moderation.models import Channel
from moderation.reports import audit_log, exports
from moderation.reports.appeals import appeal_counts
from moderation.reports.by_tag import tags_section
from moderation.reports.forms import (
    AuditFilterForm,
    ReportPeriodForm,
    event_type_suggestions,
    london_today,
    preset_periods,
    target_type_suggestions,
)
from moderation.reports.queries import Report, ReportPeriod, build_report
from moderation.reports.sections import Section, headline, report_sections


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
    return [*report_sections(report), tags_section(report)]


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "headline": headline(report),
        "sections": _sections(report),
        "appeals": appeal_counts(report.period),
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


@require_GET
@require_permission("view_reports")
def reports_export(request: HttpRequest) -> HttpResponse:
    _, period = _period_form(request)
    report = build_report(period)
    sections = _sections(report)
    table_keys = {table.key for section in sections for table in section.tables}
    only = request.GET.get("table", "")
    only = only if only in table_keys else ""
    preamble = [
        ("Report", "Social media moderation report"),
        ("Organisation", report.organisation_name),
        ("Period", report.period.label),
        ("Channels", report.channel_name),
        ("Generated", timezone.localtime(report.generated_at).strftime("%d %B %Y %H:%M")),
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


# --- The audit log ---------------------------------------------------------------------------


def _int_param(query: QueryDict, name: str) -> int | None:
    value = query.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _audit_form(request: HttpRequest) -> tuple[AuditFilterForm, bool]:
    filters = request.GET.copy()
    for name in ("before", "after"):
        filters.pop(name, None)
    form = AuditFilterForm(filters)
    return form, form.is_valid()


def _filter_query(request: HttpRequest) -> str:
    filters = request.GET.copy()
    for name in ("before", "after"):
        filters.pop(name, None)
    return filters.urlencode()


@require_GET
@require_permission("view_audit")
def audit(request: HttpRequest) -> HttpResponse:
    form, valid = _audit_form(request)
    channel_names = Channel.labels()
    page = None
    if valid:
        page = audit_log.page_of(
            form.filter(AuditEvent.objects.all()),
            before=_int_param(request.GET, "before"),
            after=_int_param(request.GET, "after"),
            channel_names=channel_names,
        )
    chain = last_verification()
    unverified = None
    if chain is not None and chain.ok:
        unverified = AuditEvent.objects.filter(id__gt=chain.last_verified_id or 0).count()
    return render(
        request,
        "moderation/reports/audit.html",
        {
            "form": form,
            "page": page,
            "chain": chain,
            "unverified": unverified,
            "filter_query": _filter_query(request),
            "paging": "before" in request.GET or "after" in request.GET,
            "event_types": event_type_suggestions(),
            "target_types": target_type_suggestions(),
            "nav": "audit",
        },
    )


@require_GET
@require_permission("view_audit")
def audit_export(request: HttpRequest) -> HttpResponse:
    form, valid = _audit_form(request)
    if not valid:
        messages.error(request, "The filters are not valid; correct them, then export again.")
        return redirect(f"{_audit_url()}?{_filter_query(request)}")
    do_record_export("audit_log", form.describe(), actor=request.user)  # type: ignore[arg-type]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _as_response(
        exports.streaming_csv(
            exports.audit_rows(form.filter(AuditEvent.objects.all())), f"audit-log-{stamp}.csv"
        )
    )


@require_POST
@require_permission("view_audit")
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Walk the whole hash chain now. A read: it records nothing but its result in the cache."""
    result = verify_chain()
    if result.ok:
        messages.success(request, f"The audit chain is intact: {result.checked:,} events verified.")
    else:
        messages.error(
            request,
            f"The audit chain is broken at event {result.first_broken_id}: {result.reason}. "
            f"{result.checked:,} events before it verified.",
        )
    return redirect(_audit_url())


def _audit_url() -> str:
    return reverse("moderation:audit")
