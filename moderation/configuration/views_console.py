"""Admins' pages for the console's own vocabulary: tags officers put on items, and which
replies wait for a manager's approval. Thin views: a form, one audited action, render."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import require_permission, user_can
from moderation.actions.approval import do_set_reply_approval
from moderation.actions.comments import ActionRefused
from moderation.actions.tags import do_create_tag, do_update_tag
from moderation.configuration.forms import ReplyApprovalForm, TagForm
from moderation.configuration.views import _actor, require_configuration_reader
from moderation.models import Channel, Organisation, Tag


@require_configuration_reader
def tag_list(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.annotate(used=Count("taggings")).order_by("-active", "name")
    return render(
        request,
        "moderation/configuration/tags.html",
        {
            "nav": "settings",
            "tags": tags,
            "can_change": user_can(request.user, "configure"),
        },
    )


@require_permission("configure")
def tag_edit(request: HttpRequest, tag_id: int | None = None) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=tag_id) if tag_id else None
    initial = (
        {"name": tag.name, "description": tag.description, "active": tag.active} if tag else None
    )
    form = TagForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=bool(tag)
    )
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("name", "description", "active")}
        try:
            if tag is None:
                saved = do_create_tag(form.cleaned_data["key"], values, actor=_actor(request))
            else:
                do_update_tag(tag, values, actor=_actor(request))
                saved = tag
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the tag “{saved}”.")
            return redirect("moderation:tags")
    return render(
        request,
        "moderation/configuration/tag_edit.html",
        {"nav": "settings", "form": form, "tag": tag},
        status=400 if form.errors else 200,
    )


@require_permission("configure")
def reply_approval(request: HttpRequest) -> HttpResponse:
    org = Organisation.current()
    initial = {
        "channels": list(Channel.objects.filter(replies_need_approval=True)),
        "categories": org.reply_approval_categories,
    }
    form = ReplyApprovalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_set_reply_approval(
                [channel.pk for channel in form.cleaned_data["channels"]],
                form.cleaned_data["categories"],
                actor=_actor(request),
            )
        except ActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect("moderation:reply_approval")
    return render(
        request,
        "moderation/configuration/reply_approval.html",
        {"nav": "settings", "form": form},
        status=400 if form.errors else 200,
    )
