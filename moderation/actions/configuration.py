"""What the audited configuration actions share: the refusal they raise, in plain words, and
how a change is put in the audit log (only the fields that changed).

The actions themselves are by domain: ``channels`` and ``channel_webhooks``, ``organisation``
(with crisis mode, the strike threshold and the retention period), ``reply_templates`` and
``escalation_routes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


class ConfigurationRefused(ValueError):
    """A configuration change that cannot be made; the message says why, in plain words."""


def changed_values(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, so an event reads as a diff."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def first_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return f"{field.replace('_', ' ')}: {messages[0]}"
    return error.messages[0] if error.messages else "That is not valid."
