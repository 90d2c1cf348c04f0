"""Every table on the report page is the same table in the CSV export: the same rows, the same
labels (a category's fixed name in the CSV, its words on the page), and each figure the same
number (the page shows "1,234", "25%" or "1 h 05 min" where the
CSV keeps 1234, 25.0 and 65.0), so figures on screen and in exports cannot disagree. Every figure
on the page is in one of those tables, the appeals and the headline figures included."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from moderation.reports.period import CATEGORY_LABELS
from moderation.reports.sections import DAY_LABEL
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import busy_fortnight, london

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-08-04", "end": "2025-08-17"}
HEADLINE_CELL = re.compile(r"\bheadline-(value|detail)\b")


class Tables(HTMLParser):
    """The report page's tables by their CSV key, each row as the cells' text (the headline
    figures' cards count as rows: label, value, detail)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.key = ""
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_tag = ""
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        classes = found.get("class", "")
        if tag == "button" and found.get("name") == "table":
            self.key = found["value"]
            self.tables[self.key] = []
        elif tag == "span" and "visually-hidden" in classes:
            self.hidden += 1
        elif self.key and (tag == "tr" or "headline-item" in classes):
            self.row = []
        elif self.row is not None and (tag in ("td", "th", "dt") or HEADLINE_CELL.search(classes)):
            self.cell, self.cell_tag = [], tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.hidden:
            self.hidden -= 1
        elif self.cell is not None and self.row is not None and tag == self.cell_tag:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag in ("tr", "div") and self.row is not None:
            self.tables[self.key].append(self.row)
            self.row = None
        elif tag in ("table", "dl"):
            self.key = ""

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def as_figure(shown: str) -> Any:
    """The number a person reads in a cell, in the CSV's unit (minutes, percent), or the text."""
    if shown in ("–", ""):
        return ""
    duration = re.fullmatch(r"(?:(\d+) h)? ?(?:(\d+) min)?", shown)
    if duration and any(duration.groups()):
        return int(duration.group(1) or 0) * 60 + int(duration.group(2) or 0)
    if re.fullmatch(r"[\d.]+%", shown):
        return float(shown[:-1])
    if re.fullmatch(r"-?[\d,]+(\.\d+)?", shown):
        return float(shown.replace(",", ""))
    return shown


def same(shown: str, exported: str) -> bool:
    if exported in CATEGORY_LABELS or (exported == "" and shown.startswith("No rule matched")):
        # A category: its fixed name in the CSV, the words a person reads on the page.
        return CATEGORY_LABELS.get(exported, shown) == shown
    if re.fullmatch(r"\d{4}-\d\d-\d\d", exported):  # a day, shown as "Mon 04 Aug"
        return dt.date.fromisoformat(exported).strftime(DAY_LABEL) == shown
    figure = as_figure(shown)
    if isinstance(figure, str) or exported == "":
        return figure == exported
    # The page rounds percentages and minutes to whole ones where the CSV keeps a decimal.
    return abs(figure - float(exported)) <= 0.5


@pytest.fixture
def client(maya: Any, olivia: Any, oscar: Any) -> Client:
    busy_fortnight(london(2025, 8, 4, 8), [olivia, oscar])
    return signed_in(Client(), maya)


def test_each_table_on_the_page_is_the_table_in_its_csv(client: Client) -> None:
    page = Tables()
    page.feed(client.get("/reports/", PERIOD).content.decode())
    assert len(page.tables) >= 10
    for key, shown_rows in page.tables.items():
        response = export(client, "/reports/export.csv", {**PERIOD, "table": key})
        exported = list(csv.reader(io.StringIO(streamed(response).decode())))
        header, *rows = exported
        header[0] = header[0].lstrip("\ufeff")
        if key != "headline":  # the cards have no header row
            shown_header = shown_rows.pop(0)
            assert len(header) == len(shown_header), key
            assert all(same(s, h) for s, h in zip(shown_header, header, strict=True)), key
        shown_rows = [row for row in shown_rows if row != ["Nothing in this period."]]
        assert len(rows) == len(shown_rows), key
        for shown_row, exported_row in zip(shown_rows, rows, strict=True):
            assert len(shown_row) == len(exported_row), (key, shown_row, exported_row)
            for shown, value in zip(shown_row, exported_row, strict=True):
                assert same(shown, value), (key, shown, value)


def test_the_appeals_and_headline_figures_are_tables_in_the_csv_too(client: Client) -> None:
    page = Tables()
    page.feed(client.get("/reports/", PERIOD).content.decode())
    assert {"appeals", "headline"} <= set(page.tables)
    everything = streamed(export(client, "/reports/export.csv", PERIOD)).decode()
    assert "Appeals received" in everything
    assert "Comments received" in everything
