"""What the audited configuration actions share: the refusal they raise, in plain words, how a
change is put in the audit log (only the fields that changed), and saving a row known by its key.

The actions themselves are by domain: ``channels`` and ``channel_webhooks``, ``organisation``
(with crisis mode, the strike threshold and the retention period), ``reply_templates`` and
``escalation_routes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from accounts.audit import Actor, record

KeyedRow = TypeVar("KeyedRow", bound=models.Model)


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


def save_keyed_row(
    model: type[KeyedRow],
    row: KeyedRow | None,
    fields: Mapping[str, Any],
    *,
    allowed: Sequence[str],
    key: str,
    what: str,
    event: str,
    actor: Actor,
) -> KeyedRow:
    """Add (``row`` None, with a new ``key``) or change one setting known by its key (a reply
    template, an escalation route): only the ``allowed`` fields, validated by the model, the
    change recorded as ``event`` with only the fields that changed. The caller holds the
    transaction."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ConfigurationRefused(f"Unknown {what} fields: {', '.join(sorted(unknown))}.")

    def snapshot(saved: KeyedRow) -> dict[str, Any]:
        return {"key": saved.serializable_value("key"), **{f: getattr(saved, f) for f in allowed}}

    manager = model._default_manager
    if row is None:
        if not key or manager.filter(key=key).exists():
            raise ConfigurationRefused(f"Choose a short key that no other {what} uses.")
        row = model(key=key)
        before = None
    else:
        row = manager.select_for_update().get(pk=row.pk)
        before = snapshot(row)
    for name, value in fields.items():
        setattr(row, name, value)
    try:
        row.full_clean()
    except ValidationError as error:
        raise ConfigurationRefused(first_message(error)) from None
    row.save()
    after = snapshot(row)
    old, new = changed_values(before, after) if before else (None, after)
    if before and not new:
        return row
    record(event, actor=actor, target=row, before=old, after=new)
    return row
