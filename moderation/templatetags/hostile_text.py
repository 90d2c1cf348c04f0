"""``{{ value|bidi_safe }}``: hostile text (names, platform values, reasons quoting them) escaped,
with bidirectional controls shown as visible tokens, as comment text is (``highlight``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from moderation.console.highlight import render_comment_html

register = template.Library()


@register.filter
def bidi_safe(value: object) -> SafeString:
    return render_comment_html("" if value is None else str(value))
