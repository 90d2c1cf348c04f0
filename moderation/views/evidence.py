"""Reports to the platform made by hand, legal holds, and the evidence pack."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.evidence import (
    do_lift_legal_hold,
    do_place_legal_hold,
    do_record_evidence_export,
    do_record_platform_report,
)
from moderation.console.forms_policy import (
    EvidenceForm,
    LegalHoldForm,
    ReasonForm,
)
from moderation.evidence import evidence_data, evidence_pdf, evidence_zip
from moderation.models import Comment, LegalHold, Organisation
from moderation.views.acting import back_to_item, say_what_happened


@require_POST
@require_permission("work_queue")
def report_by_hand(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel", "author"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not recorded: say why it was reported.")
    else:
        say_what_happened(
            request,
            "Recorded: you reported it on the platform.",
            lambda: do_record_platform_report(
                comment, actor=acting_user(request), reason=form.cleaned_data["reason"]
            ),
        )
    return back_to_item(comment.pk)


@require_POST
@require_permission("work_queue")
def place_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No hold placed: give the reason.")
    else:
        on_author = form.cleaned_data["about"] == "author"
        say_what_happened(
            request,
            "Legal hold placed: retention and erasure will keep it until it is lifted.",
            lambda: do_place_legal_hold(
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
                comment=None if on_author else comment,
                author=comment.author if on_author else None,
            ),
        )
    return back_to_item(comment.pk)


@require_POST
@require_permission("view_reports")
def lift_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold, pk=pk)
    form = ReasonForm(request.POST)
    back = request.POST.get("comment", "")
    if not form.is_valid():
        messages.error(request, "Not lifted: give the reason.")
    else:
        say_what_happened(
            request,
            "Legal hold lifted.",
            lambda: do_lift_legal_hold(
                hold, actor=acting_user(request), reason=form.cleaned_data["reason"]
            ),
        )
    if back.isdigit():
        return back_to_item(int(back))
    return redirect("moderation:author", hold.author_id) if hold.author_id else back_to_item(0)


@require_POST
@require_permission("reveal_personal_data")
def evidence_pack(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel", "author"), pk=pk)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No evidence pack: say what it is for.")
        return back_to_item(comment.pk)
    export_format = form.cleaned_data["export_format"]
    do_record_evidence_export(
        comment,
        actor=acting_user(request),
        export_format=export_format,
        purpose=form.cleaned_data["purpose"],
    )
    data = evidence_data(comment)
    pdf = evidence_pdf(data, Organisation.current().name)
    stem = f"evidence-comment-{comment.pk}-{timezone.localdate():%Y%m%d}"
    if export_format == "zip":
        response = HttpResponse(
            evidence_zip(data, pdf, comment.raw), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
