"""Audited changes to reply templates. What makes a template valid lives in the model
(``ReplyTemplate.clean``); the action asks it, for any caller."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import Actor, record
from moderation.actions.configuration import ConfigurationRefused, changed_values, first_message
from moderation.models import ReplyTemplate

TEMPLATE_FIELDS = (
    "name",
    "body",
    "for_categories",
    "offered_first_in_crisis",
    "active",
    "position",
)


def template_snapshot(template: ReplyTemplate) -> dict[str, Any]:
    return {"key": template.key, **{f: getattr(template, f) for f in TEMPLATE_FIELDS}}


@transaction.atomic
def do_save_reply_template(
    template: ReplyTemplate | None,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    key: str = "",
) -> ReplyTemplate:
    """Add a template (``template`` None, with a new ``key``) or change one."""
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ConfigurationRefused(f"Unknown template fields: {', '.join(sorted(unknown))}.")
    if template is None:
        if not key or ReplyTemplate.objects.filter(key=key).exists():
            raise ConfigurationRefused("Choose a short key that no other template uses.")
        template = ReplyTemplate(key=key)
        before = None
    else:
        template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
        before = template_snapshot(template)
    for name, value in fields.items():
        setattr(template, name, value)
    try:
        template.full_clean()
    except ValidationError as error:
        raise ConfigurationRefused(first_message(error)) from None
    template.save()
    after = template_snapshot(template)
    old, new = changed_values(before or {}, after) if before else (None, after)
    if before and not new:
        return template
    record(
        "moderation.reply_template.saved",
        actor=actor,
        target=template,
        before=old,
        after=new,
    )
    return template
