"""Tags: the labels admins define for items."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.audit import Actor
from accounts.roles import require_permission, user_can
from moderation.actions.comments import ActionRefused
from moderation.actions.tags import do_create_tag, do_update_tag
from moderation.configuration.model_forms import EditsOneModel, TagForm
from moderation.models import Tag
from moderation.views.settings.edit_one import edit_one


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
    return edit_one(
        request,
        get_object_or_404(Tag, pk=tag_id) if tag_id else None,
        form_class=TagForm,
        save=_save_tag,
        refused=ActionRefused,
        noun="tag",
        page="moderation/configuration/tag_edit.html",
        back_to="moderation:tags",
    )


def _save_tag(tag: Tag | None, form: EditsOneModel, actor: Actor) -> Tag:
    if tag is None:
        return do_create_tag(form.cleaned_data["key"], form.changed_fields(), actor=actor)
    do_update_tag(tag, form.changed_fields(), actor=actor)
    return tag
