"""Django's ``{# … #}`` comment ends at the end of its line: one that runs onto the next line is
not a comment but text on the page (the report once showed "{# One form for every CSV button …"
above its buttons). A comment over several lines is ``{% comment %} … {% endcomment %}``."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
UNCLOSED = re.compile(r"\{#(?:(?!#\}).)*$", re.M)


def test_no_template_comment_runs_onto_a_second_line() -> None:
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for match in UNCLOSED.finditer(text)
    ]
    assert unclosed == []
