"""The report's one representation: sections of tables of cells, rendered alike by the page, the
printable committee paper and the CSV export.

A cell carries both its raw value (for CSV: numbers stay numbers) and the text a person reads
(percentages, durations in hours and minutes); a table is defined once and never re-derived."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from moderation.hours import LONDON


@dataclass(frozen=True)
class Cell:
    value: object  # what the CSV gets
    text: str  # what a person reads
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    numeric_columns: frozenset[int] = frozenset()
    footer: list[Cell] = field(default_factory=list)
    # A printed page is narrow: columns from this index on are left out of the printout.
    printed_columns: int | None = None
    # The CSV's header where it differs from the page's: a category column is headed by the
    # category's fixed name (DESIGN.md: an interface), the page by the words a person reads.
    csv_columns: list[str] | None = None

    @property
    def exported_columns(self) -> list[str]:
        return self.columns if self.csv_columns is None else self.csv_columns


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    chart: SafeString | None
    tables: list[Table]


@dataclass(frozen=True)
class Headline:
    """A figure shown large at the top: its value is a cell, so the CSV keeps the number."""

    label: str
    value: Cell
    detail: str = ""


def local(moment: dt.datetime) -> dt.datetime:
    """London wall-clock time, as every date in the report is shown."""
    return moment.astimezone(LONDON)


def text(value: object) -> Cell:
    return Cell(value, "" if value is None else str(value))


def category(name: str, label: str) -> Cell:
    """A policy category: its fixed name in the CSV (an interface), its label on the page."""
    return Cell(name, label)


def number(value: int | float) -> Cell:
    return Cell(value, f"{value:,}", numeric=True)


def percent(fraction: float | None) -> Cell:
    return Cell(
        None if fraction is None else round(fraction * 100, 1), percent_text(fraction), numeric=True
    )


def minutes(seconds: float | None) -> Cell:
    """Raw value in minutes (one decimal) for spreadsheets; hours and minutes for people."""
    return Cell(
        None if seconds is None else round(seconds / 60, 1), duration_text(seconds), numeric=True
    )


def percent_text(fraction: float | None) -> str:
    if fraction is None:
        return "–"
    value = fraction * 100
    return f"{value:.0f}%" if value == round(value) or value >= 10 else f"{value:.1f}%"


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    total = round(seconds / 60)
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    return f"{hours} h" if mins == 0 else f"{hours} h {mins:02d} min"


def table_of(
    key: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    footer: Sequence[Cell] = (),
    printed_columns: int | None = None,
    csv_columns: Sequence[str] | None = None,
) -> Table:
    numeric = frozenset(
        index
        for index in range(len(columns))
        if rows and all(row[index].numeric or row[index].value is None for row in rows)
    )
    return Table(
        key,
        title,
        list(columns),
        [list(row) for row in rows],
        numeric,
        list(footer),
        printed_columns,
        None if csv_columns is None else list(csv_columns),
    )


def headline_section(items: Sequence[Headline]) -> Section:
    """The headline figures as a table too: the page shows them as cards, the CSV as rows."""
    rows = [[text(item.label), item.value, text(item.detail)] for item in items]
    figures = table_of("headline", "Headline figures", ["Figure", "Value", "Detail"], rows)
    return Section("headline", "Headline figures", "", None, [figures])
