"""Reply templates: the list and the edit page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.audit import Actor
from accounts.roles import require_permission, user_can
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.reply_templates import do_save_reply_template
from moderation.configuration.model_forms import EditsOneModel, ReplyTemplateForm
from moderation.models import ReplyTemplate
from moderation.views.settings.edit_one import edit_one


@require_permission("configure", or_to_read="view_reports")
def template_list(request: HttpRequest) -> HttpResponse:
    templates = ReplyTemplate.objects.order_by("position", "name")
    return render(
        request,
        "moderation/configuration/templates.html",
        {
            "nav": "settings",
            "templates": templates,
            "can_change": user_can(request.user, "configure"),
        },
    )


@require_permission("configure")
def template_edit(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    return edit_one(
        request,
        get_object_or_404(ReplyTemplate, pk=template_id) if template_id else None,
        form_class=ReplyTemplateForm,
        save=_save_template,
        refused=ConfigurationRefused,
        noun="template",
        page="moderation/configuration/template_edit.html",
        back_to="moderation:reply_templates",
    )


def _save_template(
    template: ReplyTemplate | None, form: EditsOneModel, actor: Actor
) -> ReplyTemplate:
    key = form.cleaned_data.get("key", "")
    return do_save_reply_template(template, form.changed_fields(), actor=actor, key=key)
