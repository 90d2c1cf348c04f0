"""The workflows the policies ask for around an item: the removal notice, appeals, reports to
the platform, evidence packs, legal holds; an author's profile (purpose first, every view on the
record) and its cross-platform links; and checking a draft against the policy before posting.

Thin views: validate, call one audited action, say what happened.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import require_permission, user_can
from moderation.actions.appeals import (
    do_decide_appeal,
    do_post_removal_notice,
    do_record_appeal,
)
from moderation.actions.authors import (
    do_link_authors,
    do_record_profile_purpose,
    do_record_profile_view,
    do_unlink_author,
    linked_authors,
    purpose_of,
    strikes_across_linked,
)
from moderation.actions.comments import ActionRefused
from moderation.actions.evidence import (
    do_lift_legal_hold,
    do_place_legal_hold,
    do_record_evidence_export,
    do_record_platform_report,
)
from moderation.console.forms_policy import (
    AppealForm,
    DecideAppealForm,
    DraftForm,
    EvidenceForm,
    LegalHoldForm,
    LinkAuthorForm,
    NoticeForm,
    PurposeForm,
    ReasonForm,
)
from moderation.console.highlight import BIDI_CONTROLS, render_comment_html
from moderation.console.views import (
    current_user,
    masks_personal_data,
    safe_link,
    visible_flags,
)
from moderation.evidence import evidence_data, evidence_pdf, evidence_zip
from moderation.models import Appeal, Author, Comment, LegalHold, Organisation
from moderation.send_check import check_for

HISTORY_SHOWN = 50
CANDIDATES_SHOWN = 10


def shown_name(author: Author) -> str:
    """An author's name as text to show: a direction override must not reorder it."""
    return BIDI_CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", str(author))


def _back(comment_id: int) -> HttpResponse:
    return redirect("moderation:item", comment_id)


def _say(request: HttpRequest, done: str, call: Any) -> bool:
    try:
        call()
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return False
    messages.success(request, done)
    return True


# --- After a removal ---------------------------------------------------------------------------


@require_POST
@require_permission("work_queue")
def removal_notice(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel"), pk=pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Notice not posted: it needs some text.")
    else:
        _say(
            request,
            "Removal notice queued: sending it to the thread.",
            lambda: do_post_removal_notice(
                comment, form.cleaned_data["text"], actor=current_user(request)
            ),
        )
    return _back(comment.pk)


@require_POST
@require_permission("work_queue")
def record_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Appeal not recorded: say how it arrived and what it says.")
    else:
        _say(
            request,
            "Appeal recorded: a manager will decide it.",
            lambda: do_record_appeal(comment, actor=current_user(request), **form.cleaned_data),
        )
    return _back(comment.pk)


@require_POST
@require_permission("view_reports")
def decide_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal, pk=pk)
    form = DecideAppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not decided: choose uphold or refuse.")
        return _back(appeal.comment_id)
    uphold = form.cleaned_data["decision"] == "uphold"
    try:
        decided = do_decide_appeal(
            appeal, actor=current_user(request), uphold=uphold, note=form.cleaned_data["note"]
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Appeal decided: {decided.get_state_display()}.")
    return _back(appeal.comment_id)


# --- Evidence ---------------------------------------------------------------------------------


@require_POST
@require_permission("work_queue")
def report_by_hand(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel", "author"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not recorded: say why it was reported.")
    else:
        _say(
            request,
            "Recorded: you reported it on the platform.",
            lambda: do_record_platform_report(
                comment, actor=current_user(request), reason=form.cleaned_data["reason"]
            ),
        )
    return _back(comment.pk)


@require_POST
@require_permission("work_queue")
def place_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No hold placed: give the reason.")
    else:
        on_author = form.cleaned_data["about"] == "author"
        _say(
            request,
            "Legal hold placed: retention and erasure will keep it until it is lifted.",
            lambda: do_place_legal_hold(
                actor=current_user(request),
                reason=form.cleaned_data["reason"],
                comment=None if on_author else comment,
                author=comment.author if on_author else None,
            ),
        )
    return _back(comment.pk)


@require_POST
@require_permission("view_reports")
def lift_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold, pk=pk)
    form = ReasonForm(request.POST)
    back = request.POST.get("comment", "")
    if not form.is_valid():
        messages.error(request, "Not lifted: give the reason.")
    else:
        _say(
            request,
            "Legal hold lifted.",
            lambda: do_lift_legal_hold(
                hold, actor=current_user(request), reason=form.cleaned_data["reason"]
            ),
        )
    if back.isdigit():
        return _back(int(back))
    return redirect("moderation:author", hold.author_id) if hold.author_id else _back(0)


@require_POST
@require_permission("reveal_personal_data")
def evidence_pack(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel", "author"), pk=pk)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No evidence pack: say what it is for.")
        return _back(comment.pk)
    export_format = form.cleaned_data["export_format"]
    do_record_evidence_export(
        comment,
        actor=current_user(request),
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


# --- An author's profile ----------------------------------------------------------------------


def _candidates(author: Author) -> list[Author]:
    """Authors on other platforms with the same handle or display name: only suggestions, for
    an officer to confirm or ignore."""
    names = {n.strip().lstrip("@").lower() for n in (author.handle, author.display_name)}
    names = {n for n in names if len(n) >= 3 and n != "[erased]"}
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(handle__iexact=name) | Q(display_name__iexact=name)
    found = Author.objects.filter(query).exclude(pk=author.pk)
    if author.person_id is not None:
        found = found.exclude(person_id=author.person_id)
    return list(found.order_by("platform", "handle")[:CANDIDATES_SHOWN])


@require_permission("work_queue")
def author_profile(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    me = current_user(request)
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if form.is_valid() and _say(
            request,
            "Purpose recorded.",
            lambda: do_record_profile_purpose(
                author, actor=me, purpose=form.cleaned_data["purpose"]
            ),
        ):
            return redirect("moderation:author", author.pk)
    else:
        form = PurposeForm()
    purpose = purpose_of(author, me)
    if purpose is None:
        return render(
            request,
            "moderation/console/author_purpose.html",
            {"nav": "queue", "author": author, "name": shown_name(author), "form": form},
            status=400 if form.errors else 200,
        )
    do_record_profile_view(author, actor=me)
    linked = linked_authors(author)
    everyone = [author, *linked]
    comments = list(
        Comment.objects.filter(author__in=everyone)
        .select_related("channel", "author")
        .prefetch_related(Prefetch("flags", queryset=visible_flags()))
        .order_by("-created_at", "-id")[:HISTORY_SHOWN]
    )
    totals = Comment.objects.filter(author__in=everyone).aggregate(
        comments=Count("id"), channels=Count("channel", distinct=True)
    )
    org = Organisation.current()
    strikes = strikes_across_linked(author)
    return render(
        request,
        "moderation/console/author.html",
        {
            "nav": "queue",
            "author": author,
            "name": shown_name(author),
            "purpose": purpose,
            "linked": [(other, shown_name(other)) for other in linked],
            "candidates": [(other, shown_name(other)) for other in _candidates(author)],
            "link_form": LinkAuthorForm(),
            "history": [
                (
                    c,
                    shown_name(c.author),
                    render_comment_html(
                        c.text,
                        list(c.flags.all()),
                        mask_personal_data=masks_personal_data(request, c.pk),
                        limit=280,
                    ),
                    safe_link(c.permalink),
                )
                for c in comments
            ],
            "totals": totals,
            "strikes": strikes,
            "threshold": org.strike_threshold,
            "recommend_block": strikes >= org.strike_threshold and not author.blocked,
            "notes": list(author.notes.all()[:20]),
            "holds": list(author.legal_holds.filter(lifted_at__isnull=True)),
            "can_lift_holds": user_can(me, "view_reports"),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@require_permission("work_queue")
def link_author(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    form = LinkAuthorForm(request.POST)
    other = (
        Author.objects.filter(pk=form.cleaned_data["other"]).first() if form.is_valid() else None
    )
    if other is None:
        messages.error(request, "Not linked: that author no longer exists.")
    else:
        _say(
            request,
            "Linked: they are treated as the same person, and their strikes are counted "
            "together. Unlink them if this was a mistake.",
            lambda: do_link_authors(author, other, actor=current_user(request)),
        )
    return redirect("moderation:author", author.pk)


@require_POST
@require_permission("work_queue")
def unlink_author(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    _say(
        request,
        "Unlinked: this author is no longer treated as the same person as the others.",
        lambda: do_unlink_author(author, actor=current_user(request)),
    )
    return redirect("moderation:author", author.pk)


# --- Check my draft ---------------------------------------------------------------------------


@require_permission("work_queue")
def check_draft(request: HttpRequest) -> HttpResponse:
    """A box to check a post before publishing it anywhere: nothing is sent or stored."""
    form = DraftForm(request.POST or None)
    check = None
    if request.method == "POST" and form.is_valid():
        check = check_for(form.cleaned_data["text"], Organisation.current())
    return render(
        request,
        "moderation/console/check_draft.html",
        {"nav": "check", "form": form, "check": check},
    )
