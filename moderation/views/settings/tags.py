"""Tags: the labels admins define for items."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.comments import ActionRefused
from moderation.actions.tags import do_create_tag, do_update_tag
from moderation.configuration.model_forms import TagForm
from moderation.models import Tag


@require_permission("configure", or_to_read="view_reports")
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
    form = TagForm(
        request.POST if request.method == "POST" else None, instance=tag, editing=bool(tag)
    )
    if request.method == "POST" and form.is_valid():
        values = form.changed_fields()
        try:
            if tag is None:
                saved = do_create_tag(form.cleaned_data["key"], values, actor=acting_user(request))
            else:
                do_update_tag(tag, values, actor=acting_user(request))
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
