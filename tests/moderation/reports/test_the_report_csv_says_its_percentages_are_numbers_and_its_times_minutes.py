"""The report CSV keeps figures as numbers (25.0 for 25%, 65.0 for 1 h 05 min), so its opening
lines say so: someone opening it in a spreadsheet cannot otherwise tell what 621.8 means."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.helpers import export, signed_in, streamed

pytestmark = pytest.mark.django_db


def test_the_report_csv_says_its_units_before_the_first_table(maya) -> None:
    response = export(signed_in(Client(), maya), "/reports/export.csv")
    text = streamed(response).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    preamble = dict(row for row in rows[: rows.index([])] if len(row) == 2)
    assert preamble["Units"] == (
        "Percentages as numbers (25.0 is 25%); times in minutes (65.0 is 1 h 05 min)"
    )
