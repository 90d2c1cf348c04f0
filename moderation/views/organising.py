"""Organising items without acting on them: assigning an officer and tagging."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from accounts.roles import acting_user, require_permission
from moderation.actions.assignment import do_assign_comment
from moderation.actions.comments import ActionRefused
from moderation.actions.tags import do_tag_comment, do_untag_comment
from moderation.console.forms import AssignForm, TagItemForm
from moderation.models import Comment
from moderation.views.acting import back_to, item_url


@require_POST
@require_permission("work_queue")
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("channel"), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not assigned: choose someone who can work the queue.")
        return back_to(request, item_url(comment.pk, request.GET.urlencode()))
    assignee = form.cleaned_data["assignee"]
    try:
        do_assign_comment(comment, assignee, actor=acting_user(request))
    except ActionRefused as refusal:
        messages.error(request, f"Not assigned: {refusal}")
    else:
        messages.success(
            request,
            f"Assigned to {assignee}: it is in their Mine tab."
            if assignee
            else "Unassigned: anyone can take it.",
        )
    return back_to(request, item_url(comment.pk, request.GET.urlencode()))


@require_POST
@require_permission("work_queue")
def tags(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a tag to the item, or take one off (``op``)."""
    comment = get_object_or_404(Comment.objects.select_related("channel"), pk=pk)
    form = TagItemForm(request.POST)
    back = item_url(comment.pk, request.GET.urlencode())
    if not form.is_valid():
        messages.error(request, "No tag changed: choose a tag.")
        return back_to(request, back)
    tag, adding = form.cleaned_data["tag"], form.cleaned_data["op"] == "add"
    try:
        if adding:
            changed = do_tag_comment(comment, tag, actor=acting_user(request))
        else:
            changed = do_untag_comment(comment, tag, actor=acting_user(request))
    except ActionRefused as refusal:
        messages.error(request, f"No tag changed: {refusal}")
    else:
        if changed:
            messages.success(request, f"Tagged “{tag}”." if adding else f"Took off “{tag}”.")
        else:
            messages.info(request, "It was already so: nothing changed.")
    return back_to(request, back)
