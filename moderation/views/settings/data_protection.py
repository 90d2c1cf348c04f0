"""Data protection: the retention run and a person's data (find, export, erase)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import AuditEvent
from accounts.roles import acting_user, require_permission
from moderation.actions.erasure_on_request import do_erase_author_data
from moderation.actions.retention import comments_due_for_retention, do_apply_retention_until_done
from moderation.actions.subject_access import do_export_author_data, subject_access_csv
from moderation.configuration.forms import AuthorSearchForm, ErasureForm, ExportForm
from moderation.console.shown import shown_comments
from moderation.models import Author, Comment, Flag, ModerationAction, Note, Organisation

MAX_RESULTS = 50


@require_permission("configure")
def data_protection(request: HttpRequest) -> HttpResponse:
    org = Organisation.current()
    search = AuthorSearchForm(request.GET if "q" in request.GET else None)
    authors = None
    if search.is_bound and search.is_valid():
        q = search.cleaned_data["q"]
        found = Author.objects.filter(
            Q(handle__icontains=q) | Q(display_name__icontains=q) | Q(platform_id=q)
        )
        if search.cleaned_data["platform"]:
            found = found.filter(platform=search.cleaned_data["platform"])
        authors = list(
            found.annotate(comment_count=Count("comments")).order_by("handle", "id")[:MAX_RESULTS]
        )
    context = {
        "nav": "settings",
        "org": org,
        "due": comments_due_for_retention().count(),
        "erased_total": Comment.objects.filter(redacted_at__isnull=False).count(),
        "runs": AuditEvent.objects.filter(event_type="moderation.retention.applied").order_by(
            "-id"
        )[:5],
        "search": search,
        "authors": authors,
        "max_results": MAX_RESULTS,
    }
    return render(request, "moderation/configuration/data_protection.html", context)


@require_POST
@require_permission("configure")
def retention_run(request: HttpRequest) -> HttpResponse:
    erased = do_apply_retention_until_done(actor=acting_user(request))
    messages.success(
        request,
        f"Erased {erased} comment{'s' if erased != 1 else ''} older than "
        f"{Organisation.current().retention_days} days.",
    )
    return redirect("moderation:data_protection")


@require_permission("configure")
def subject(request: HttpRequest, author_id: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=author_id)
    comments = Comment.objects.filter(author=author)
    context = {
        "nav": "settings",
        "author": author,
        "counts": {
            "comments": comments.count(),
            "erased": comments.filter(redacted_at__isnull=False).count(),
            "flags": Flag.objects.filter(comment__author=author).count(),
            "actions": ModerationAction.objects.filter(
                Q(comment__author=author) | Q(author=author)
            ).count(),
            "notes": Note.objects.filter(Q(comment__author=author) | Q(author=author)).count(),
        },
        "recent": shown_comments(
            request, list(comments.select_related("channel").order_by("-created_at")[:10]), 300
        ),
        "export_form": ExportForm(),
        "erasure_form": ErasureForm(),
        "history": AuditEvent.objects.filter(
            event_type__in=(
                "moderation.author.data_exported",
                "moderation.author.erased_on_request",
            ),
            target_type="moderation.author",
            target_id=str(author.pk),
        ).order_by("-id")[:20],
    }
    return render(request, "moderation/configuration/subject.html", context)


@require_POST
@require_permission("configure")
def subject_export(request: HttpRequest, author_id: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=author_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose JSON or CSV.")
        return redirect("moderation:subject", author.pk)
    export_format = form.cleaned_data["format"]
    data = do_export_author_data(
        author,
        actor=acting_user(request),
        export_format=export_format,
        reference=form.cleaned_data["reference"],
    )
    stem = f"subject-access-{author.platform}-{author.pk}-{timezone.localdate():%Y-%m-%d}"
    if export_format == "csv":
        response = HttpResponse(subject_access_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    else:
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@require_permission("configure")
def subject_erase(request: HttpRequest, author_id: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=author_id)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        comments = Comment.objects.filter(author=author)
        return render(
            request,
            "moderation/configuration/subject.html",
            {
                "nav": "settings",
                "author": author,
                "counts": {
                    "comments": comments.count(),
                    "erased": comments.filter(redacted_at__isnull=False).count(),
                },
                "export_form": ExportForm(),
                "erasure_form": form,
                "history": [],
            },
            status=400,
        )
    try:
        counts = do_erase_author_data(
            author,
            actor=acting_user(request),
            requested_by=form.cleaned_data["requested_by"],
            reason=form.cleaned_data["reason"],
        )
    except ValueError as refusal:  # a legal hold on the person
        messages.error(request, f"Nothing erased: {refusal}")
        return redirect("moderation:subject", author.pk)
    messages.success(
        request,
        f"Erased the text of {counts.comments} comments, {counts.notes} notes and "
        f"{counts.replies} replies; the author's name is now “[erased]”.",
    )
    return redirect("moderation:subject", author.pk)
