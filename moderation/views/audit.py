"""The audit log: people's actions by default, system events on request, its CSV export and the
hash chain's verification."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
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
from moderation.reports.forms import (
    AuditFilterForm,
    event_type_suggestions,
    target_type_suggestions,
)
from moderation.views.reports import _as_response


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


# A POST from the page's form, with the filters in its address: an export is recorded, and a GET
# must change nothing (moderation.views.reports.reports_export says why).
@require_POST
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
