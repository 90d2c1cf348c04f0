"""Replies held for a manager's approval: the list, approving and rejecting."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.approval import do_approve_reply, do_reject_reply
from moderation.actions.comments import ActionRefused
from moderation.console.forms import RejectReplyForm
from moderation.console.highlight import render_comment_html
from moderation.console.shown import masks_personal_data, visible_flags
from moderation.models import ModerationAction
from moderation.views.acting import back_to

LISTED = 200
# What an officer's words can put in public as the council, and so what may be held here.
HELD_KINDS = (ModerationAction.Kind.REPLY, ModerationAction.Kind.NOTICE)


@require_permission("approve_replies")
def awaiting_replies(request: HttpRequest) -> HttpResponse:
    waiting = list(
        ModerationAction.objects.filter(state=ModerationAction.State.AWAITING_APPROVAL)
        .select_related("channel", "comment", "comment__author")
        .prefetch_related(Prefetch("comment__flags", queryset=visible_flags()))
        .order_by("requested_at", "id")[:LISTED]
    )
    rows = [
        (
            action,
            render_comment_html(
                action.comment.text,
                list(action.comment.flags.all()),
                mask_personal_data=masks_personal_data(request, action.comment.pk),
                limit=300,
            )
            if action.comment is not None
            else "",
        )
        for action in waiting
    ]
    return render(
        request,
        "moderation/console/approvals.html",
        {"nav": "approvals", "rows": rows, "reject_form": RejectReplyForm()},
    )


@require_POST
@require_permission("approve_replies")
def approve_reply(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ModerationAction, pk=pk, kind__in=HELD_KINDS)
    try:
        do_approve_reply(action, actor=acting_user(request))
    except ActionRefused as refusal:
        messages.error(request, f"Not approved: {refusal}")
    else:
        messages.success(request, "Approved: the reply is being sent.")
    return back_to(request, reverse("moderation:awaiting_replies"))


@require_POST
@require_permission("approve_replies")
def reject_reply(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ModerationAction, pk=pk, kind__in=HELD_KINDS)
    form = RejectReplyForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        do_reject_reply(action, actor=acting_user(request), reason=reason)
    except ActionRefused as refusal:
        messages.error(request, f"Not rejected: {refusal}")
    else:
        messages.success(
            request, f"Rejected: the item is back in {action.actor_label}'s Mine tab, with why."
        )
    return back_to(request, reverse("moderation:awaiting_replies"))
