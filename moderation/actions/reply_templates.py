"""Audited changes to reply templates. What makes a template valid lives in the model
(``ReplyTemplate.clean``); the action asks it, for any caller."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.audit import Actor
from moderation.actions.configuration import save_keyed_row
from moderation.models import ReplyTemplate

TEMPLATE_FIELDS = (
    "name",
    "body",
    "for_categories",
    "offered_first_in_crisis",
    "active",
    "position",
)


@transaction.atomic
def do_save_reply_template(
    template: ReplyTemplate | None,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    key: str = "",
) -> ReplyTemplate:
    """Add a template (``template`` None, with a new ``key``) or change one."""
    return save_keyed_row(
        ReplyTemplate,
        template,
        fields,
        allowed=TEMPLATE_FIELDS,
        key=key,
        what="template",
        event="moderation.reply_template.saved",
        actor=actor,
    )
