"""The category names (``abuse``, ``personal_data``, ``foi_request`` …) are an interface
(DESIGN.md: "reports and exports use exactly them"), so every category the report CSV names,
as a column or as a value, is the fixed name; the page keeps the words a person reads."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from rules.models import CATEGORY_CHOICES
from tests.helpers import export, signed_in, streamed
from tests.moderation.reports.factories_reports import CATEGORIES_SEEN, busy_fortnight, london

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-08-04", "end": "2025-08-17"}
NAMES = {name for name, _ in CATEGORY_CHOICES}
LABELS = {label for _, label in CATEGORY_CHOICES} - NAMES


@pytest.fixture
def client(maya: Any, olivia: Any, oscar: Any) -> Client:
    busy_fortnight(london(2025, 8, 4, 8), [olivia, oscar])
    return signed_in(Client(), maya)


def table(client: Client, key: str) -> list[list[str]]:
    response = export(client, "/reports/export.csv", {**PERIOD, "table": key})
    rows = list(csv.reader(io.StringIO(streamed(response).decode().lstrip("\ufeff"))))
    assert rows, key
    return rows


def column(rows: list[list[str]], name: str) -> list[str]:
    header, *body = rows
    return [row[header.index(name)] for row in body]


def test_the_daily_tables_category_columns_are_headed_by_the_fixed_names(client: Client) -> None:
    header = table(client, "received_by_day")[0]
    assert header[:4] == ["Day", "Received", "Flagged", "Flagged share"]
    assert set(header[4:]) == set(CATEGORIES_SEEN)


def test_the_category_table_names_each_category_by_its_fixed_name(client: Client) -> None:
    assert set(column(table(client, "categories"), "Category")) == set(CATEGORIES_SEEN)


def test_the_rules_and_reasons_tables_name_categories_by_their_fixed_names(
    client: Client,
) -> None:
    assert set(column(table(client, "rules"), "Category")) <= NAMES
    reasons = set(column(table(client, "hidden_by_reason"), "Reason"))
    assert reasons and reasons <= NAMES | {""}


def test_no_category_label_is_in_the_whole_report_csv(client: Client) -> None:
    response = export(client, "/reports/export.csv", PERIOD)
    cells = {cell for row in csv.reader(io.StringIO(streamed(response).decode())) for cell in row}
    assert not cells & LABELS


def test_the_page_still_shows_the_words_a_person_reads(client: Client) -> None:
    page = client.get("/reports/", PERIOD).content.decode()
    assert "Personal data" in page
    assert "Freedom of Information request" in page
