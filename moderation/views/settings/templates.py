"""Reply templates: the list and the edit page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import acting_user, require_permission, user_can
from moderation.actions.configuration import ConfigurationRefused
from moderation.actions.reply_templates import do_save_reply_template
from moderation.configuration.model_forms import ReplyTemplateForm
from moderation.models import ReplyTemplate


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
    template = get_object_or_404(ReplyTemplate, pk=template_id) if template_id else None
    form = ReplyTemplateForm(
        request.POST if request.method == "POST" else None,
        instance=template,
        editing=template is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_reply_template(
                template,
                form.changed_fields(),
                actor=acting_user(request),
                key=form.cleaned_data.get("key", ""),
            )
        except ConfigurationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the template “{saved.name}”.")
            return redirect("moderation:reply_templates")
    return render(
        request,
        "moderation/configuration/template_edit.html",
        {"nav": "settings", "form": form, "template": template},
        status=400 if form.errors else 200,
    )
