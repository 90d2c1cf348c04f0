"""One ``safe_cell`` makes every CSV cell safe to open in a spreadsheet, for the reports, the audit
log and a subject-access export alike: text that starts like a formula (even after spaces) gets
an apostrophe, NUL bytes go, numbers stay numbers, and each of the two old versions' cases holds."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from moderation.actions.subject_access import subject_access_csv
from moderation.spreadsheet import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # What both old versions did.
        ("=1+1", "'=1+1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("plain words", "plain words"),
        (None, ""),
        # What the reports' version did and the subject-access version did not.
        ("nul\x00byte", "nulbyte"),
        ("=\x00cmd", "'=cmd"),
        (True, "yes"),
        ({"b": 1, "a": "=x"}, '{"a": "=x", "b": 1}'),
        (dt.date(2026, 12, 7), "2026-12-07"),
        # Stricter than either: spaces or a newline before the formula.
        ("  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0"),
        ("\n=1+1", "'\n'=1+1"),  # and the line break, for readers that ignore quotes
    ],
)
def test_a_cell_is_text_a_spreadsheet_will_not_run(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_numbers_stay_numbers() -> None:
    assert safe_cell(-3) == -3
    assert safe_cell(12.5) == 12.5


def test_the_subject_access_csv_uses_it() -> None:
    data = {
        "author": {
            "first_seen": "2026-12-01T09:00:00+00:00",
            "platform": "facebook",
            "platform_id": "1",
            "blocked": False,
            "handle": ' =HYPERLINK("x")',
            "display_name": "Jane\x00 Doe",
        },
        "strikes": [],
        "notes_about_author": [],
        "actions_on_author": [],
        "comments": [],
    }
    rows = list(csv.reader(io.StringIO(subject_access_csv(data))))
    assert rows[1][6] == '\' =HYPERLINK("x")'
    assert rows[1][7] == "Jane Doe"
