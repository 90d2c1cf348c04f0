"""After a removal: the removal notice where the platform lets it be seen, and appeals, decided by
a manager."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.appeals import (
    do_decide_appeal,
    do_post_removal_notice,
    do_record_appeal,
)
from moderation.actions.comments import ActionRefused
from moderation.console.forms_policy import (
    AppealForm,
    DecideAppealForm,
    NoticeForm,
)
from moderation.models import Appeal, Comment, ModerationAction
from moderation.replies import REMOVAL_NOTICE_KEY, filled_template
from moderation.views.acting import back_to_item, say_what_happened
from moderation.views.items import item_again


@require_POST
@require_permission("work_queue")
def removal_notice(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel"), pk=pk)
    form = NoticeForm(request.POST, stored=filled_template(REMOVAL_NOTICE_KEY, comment))
    if not form.is_valid():
        for error in form.errors.get("text", ["it needs some text."]):
            messages.error(request, f"Notice not posted: {error}")
        return item_again(request, comment.pk, notice_form=form)
    try:
        notice = do_post_removal_notice(
            comment, form.cleaned_data["text"], actor=acting_user(request)
        )
    except ActionRefused as refusal:
        # Shown again with the officer's words in the box, beside the reason.
        messages.error(request, f"Notice not posted: {refusal}")
        return item_again(request, comment.pk, notice_form=form)
    held = notice.state == ModerationAction.State.AWAITING_APPROVAL
    messages.success(
        request,
        "Removal notice waiting for a manager's approval before it is posted."
        if held
        else "Removal notice queued: sending it to the thread.",
    )
    return back_to_item(comment.pk)


@require_POST
@require_permission("work_queue")
def record_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Appeal not recorded: say how it arrived and what it says.")
    else:
        say_what_happened(
            request,
            "Appeal recorded: a manager will decide it.",
            lambda: do_record_appeal(comment, actor=acting_user(request), **form.cleaned_data),
        )
    return back_to_item(comment.pk)


@require_POST
@require_permission("view_reports")
def decide_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal, pk=pk)
    form = DecideAppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not decided: choose uphold or refuse.")
        return back_to_item(appeal.comment_id)
    uphold = form.cleaned_data["decision"] == "uphold"
    try:
        decided = do_decide_appeal(
            appeal, actor=acting_user(request), uphold=uphold, note=form.cleaned_data["note"]
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Appeal decided: {decided.get_state_display()}.")
    return back_to_item(appeal.comment_id)
