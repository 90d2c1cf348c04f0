"""The tokens the console fills in when an officer picks a reply template. Anything else in braces
would be sent to the public as typed, so a template holding one is refused (``ReplyTemplate``)."""

from __future__ import annotations

import re

TEMPLATE_PLACEHOLDERS = (
    "author",
    "channel",
    "organisation",
    "contact",
    "foi_contact",
    "dp_contact",
    "complaints_contact",
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(body: str) -> list[str]:
    return sorted({m for m in _PLACEHOLDER.findall(body) if m not in TEMPLATE_PLACEHOLDERS})


def placeholders_problem(body: str) -> str | None:
    """What is wrong with a template's text, in words, or None."""
    if not body.strip():
        return "A reply template needs some text."
    unknown = unknown_placeholders(body)
    if unknown:
        known = ", ".join("{" + p + "}" for p in TEMPLATE_PLACEHOLDERS)
        shown = ", ".join("{" + p + "}" for p in unknown)
        return f"Unknown placeholders {shown}. Use only {known}."
    return None
