"""Importing comments from CSV and JSON exports: good rows kept, bad rows explained."""

from __future__ import annotations

import datetime as dt
import json

from moderation.connectors.file_import import parse_import

HEADER = "id,post_id,parent_id,author_id,author_handle,author_name,text,created_at,permalink\n"


def test_good_csv_rows_become_comments():
    data = (
        HEADER
        + "c1,p1,,a1,@ana,Ana,Bins not collected,2025-03-01T10:00:00Z,https://example.org/c1\n"
        + 'c2,p1,c1,a2,,Bob,"Same, on Acacia Ave",2025-03-01T11:00:00+00:00,\n'
    ).encode()

    result = parse_import(data, "export.csv")

    assert result.rejected == []
    first, second = result.comments
    assert first.author.handle == "@ana"
    assert first.permalink == "https://example.org/c1"
    assert second.parent_platform_id == "c1"
    assert second.text == "Same, on Acacia Ave"
    assert second.created_at.utcoffset() == dt.timedelta(0)


def test_bad_csv_rows_are_reported_by_spreadsheet_row_and_the_rest_kept():
    data = (
        HEADER
        + "c1,p1,,a1,,,fine,2025-03-01T10:00:00Z,\n"
        + "c2,p1,,a1,,,no time zone,2025-03-01T10:00:00,\n"
        + ",p1,,a1,,,no id,2025-03-01T10:00:00Z,\n"
        + "c4,p1,,a1,,,bad link,2025-03-01T10:00:00Z,javascript:alert(1)\n"
        + "c1,p1,,a1,,,duplicate,2025-03-01T10:00:00Z,\n"
        + "c6,p1,,a1,,,bad date,yesterday,\n"
    ).encode()

    result = parse_import(data, "export.csv")

    assert [c.platform_id for c in result.comments] == ["c1"]
    reasons = dict(result.rejected)
    assert "time zone" in reasons[3]
    assert "missing id" in reasons[4]
    assert "http(s)" in reasons[5]
    assert "already in row 2" in reasons[6]
    assert "ISO 8601" in reasons[7]


def test_a_text_over_100000_characters_is_refused():
    data = (HEADER + "c1,p1,,a1,,," + "x" * 100_001 + ",2025-03-01T10:00:00Z,\n").encode()

    result = parse_import(data, "export.csv")

    assert result.comments == []
    assert "limit is 100,000" in result.rejected[0][1]


def test_a_missing_required_column_is_one_clear_problem():
    result = parse_import(b"id,text\nc1,hello\n", "export.csv")

    assert result.comments == []
    assert result.rejected == [(1, "the header row lacks the column(s): post_id, created_at")]


def test_a_bom_and_windows_1252_text_are_read():
    with_bom = ("\ufeff" + HEADER + "c1,p1,,a1,,,caf\u00e9,2025-03-01T10:00:00Z,\n").encode()
    excel = (HEADER + "c1,p1,,a1,,,\u2018quoted\u2019 \u00a35,2025-03-01T10:00:00Z,\n").encode(
        "cp1252"
    )

    assert parse_import(with_bom, "a.csv").comments[0].text == "caf\u00e9"
    result = parse_import(excel, "b.csv")
    assert result.encoding == "cp1252"
    assert result.comments[0].text == "\u2018quoted\u2019 \u00a35"


def test_utf16_with_a_bom_is_read():
    data = (HEADER + "c1,p1,,a1,,,hello,2025-03-01T10:00:00Z,\n").encode("utf-16")

    result = parse_import(data, "unicode.txt")

    assert [c.text for c in result.comments] == ["hello"]


def test_a_json_list_keeps_good_objects_and_numbers_rejects():
    rows = [
        {
            "id": 1,
            "post_id": "p1",
            "author_id": "a1",
            "text": "fine",
            "created_at": "2025-03-01T10:00:00Z",
        },
        "not an object",
        {
            "id": "c3",
            "post_id": "p1",
            "author_id": "a1",
            "text": ["not", "text"],
            "created_at": "2025-03-01T10:00:00Z",
        },
    ]

    result = parse_import(json.dumps(rows).encode(), "export.json")

    assert [c.platform_id for c in result.comments] == ["1"]
    assert [number for number, _ in result.rejected] == [2, 3]


def test_json_lines_report_the_line_number():
    lines = [
        json.dumps(
            {
                "id": "c1",
                "post_id": "p1",
                "author_handle": "ana",
                "text": "hi",
                "created_at": "2025-03-01T10:00:00Z",
            }
        ),
        "{broken",
        "",
        json.dumps(
            {
                "id": "c2",
                "post_id": "p1",
                "author_id": "a",
                "text": "",
                "created_at": "2025-03-01T10:00:00Z",
            }
        ),
    ]

    result = parse_import("\n".join(lines).encode(), "export.jsonl")

    assert [c.author.platform_id for c in result.comments] == ["ana"]
    assert result.rejected == [(2, "not a JSON object"), (4, "missing text")]


def test_hostile_bytes_never_raise():
    for data in (b"\x00\x00\x00", b"\xff" * 100, b'"' * 1000, b"[" * 100_000, b""):
        result = parse_import(data, "odd.bin")
        assert result.comments == []
