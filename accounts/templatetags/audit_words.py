"""An audit event's type as an admin reads it: "accounts.user.signed_in" is "User signed in"."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def event_words(event_type: object) -> str:
    """The event's subject and verb (its last two parts), in words; the app prefix is dropped."""
    parts = str(event_type).split(".")
    words = " ".join(parts[-2:]).replace("_", " ")
    return words[:1].upper() + words[1:]
