"""CSV cells that a spreadsheet shows as text and never runs, for every export (the reports, the
audit log, a subject-access request).

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
return or a newline as a formula, and some first trim leading spaces; such a cell (also when
commas or double quotes come before the formula) is prefixed with an apostrophe. In semicolon
locales a spreadsheet splits our comma CSV's lines at semicolons, and a tab import at tabs, so
"hello;=cmd" would open as a cell "=cmd", and a reader that ignores quotes starts a row at each
line break: an apostrophe goes after every semicolon, tab or line break that only spaces or
quotes separate from a formula's first character. NUL bytes are dropped. Numbers stay numbers
(a number is never a formula).
The streamed exports (the reports, the audit log) also show direction controls as visible tokens,
as their pages do; a subject-access export keeps the person's own text as they wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.core.serializers.json import DjangoJSONEncoder

from accounts.names import neutralise_bidi
from moderation.hours import LONDON

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# A semicolon, tab or line break (a separator to some spreadsheets, whatever the quoting), then
# spaces, tabs or quotes, then a formula.
FORMULA_AFTER_SEPARATOR = re.compile(r"([;\t\r\n])(?=[ \"\t]*[=+\-@])")


def safe_cell(value: object, *, visible_controls: bool = False) -> object:
    """A value ready for a CSV cell: numbers stay numbers, text cannot start a formula; with
    ``visible_controls``, direction controls (U+202E …) are shown as tokens such as ⟨U+202E⟩."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(LONDON).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    text = str(value).replace("\x00", "")
    if visible_controls:
        text = neutralise_bidi(text)
    text = FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    if text.lstrip(' ,"').startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
