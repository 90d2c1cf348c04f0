"""``{{ value|bidi_safe }}``: hostile text that is not a model's name (a platform id, a quarantine
reason, an item as received) with its direction controls made visible, as names are
(``accounts.names``); the template escapes it as usual."""

from __future__ import annotations

from django import template

from accounts.names import neutralise_bidi

register = template.Library()


@register.filter
def bidi_safe(value: object) -> str:
    return neutralise_bidi("" if value is None else str(value))
