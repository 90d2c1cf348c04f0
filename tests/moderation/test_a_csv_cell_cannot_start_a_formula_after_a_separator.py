"""Spreadsheets in semicolon locales (most of Europe, and Excel set so in the UK) split a comma
CSV's lines at semicolons; tab imports split at tabs; a reader that ignores quotes starts a row
at each line break. A cell's ";=cmd" then opens as a new cell holding a formula, whatever spaces
or quotes come between. ``safe_cell`` defuses a formula after any such separator, and at the
start of a cell behind commas, quotes or spaces."""

from __future__ import annotations

import csv
import io
import re

import pytest

from moderation.spreadsheet import safe_cell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ATTACK = "cmd|' /C calc'!A0"


def _written(*values: object) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(v) for v in values])
    return buffer.getvalue().removesuffix("\r\n")


def _cells_as_opened(line: str) -> list[str]:
    """Every cell the line could open as: read as the comma CSV it is, and split at semicolons,
    tabs and line breaks by a reader that ignores quotes."""
    proper = next(csv.reader(io.StringIO(line, newline="")))
    naive = re.split(r"[;\t\r\n]", line)
    return proper + naive


def _formulas(line: str) -> list[str]:
    return [
        cell
        for cell in _cells_as_opened(line)
        if cell.lstrip(' "').startswith(("=", "+", "-", "@"))
    ]


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("lead", [";", "; ", ';"', '";', "\t", ",", '"', " ;", "\n"], ids=repr)
def test_a_cell_led_by_a_separator_or_quote_then_a_trigger_is_text(lead: str, trigger: str) -> None:
    assert _formulas(_written("first", f"{lead}{trigger}{ATTACK}", "last")) == []


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
@pytest.mark.parametrize("separator", [";", "; ", '; "', "\t", "\r\n", "\n "])
def test_a_formula_after_a_separator_inside_a_cell_is_text(separator: str, trigger: str) -> None:
    line = _written("first", f'thanks for nothing{separator}{trigger}HYPERLINK("http://x")')
    assert _formulas(line) == []


def test_ordinary_text_with_semicolons_dashes_and_line_breaks_is_kept() -> None:
    assert safe_cell("bins; recycling - Tuesday") == "bins; recycling - Tuesday"
    assert safe_cell("a,b;c") == "a,b;c"
    assert safe_cell("Dear council,\r\nthe bins.\r\n\r\nThanks") == (
        "Dear council,\r\nthe bins.\r\n\r\nThanks"
    )


def test_the_apostrophe_goes_right_after_the_separator() -> None:
    assert safe_cell("hello;=SUM(A1)") == "hello;'=SUM(A1)"
    assert safe_cell(';"=SUM(A1)') == ";'\"=SUM(A1)"
