"""``moderation.jsontext``: orjson's speed, and `json`'s text wherever orjson is stricter."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from moderation import jsontext


def test_values_written_read_back_as_they_were_even_past_64_bits() -> None:
    value = {"spans": [[0, 4]], "note": "Ünïcode & <b>", "n": None, "big": 2**70}
    assert json.loads(jsontext.dumps_bytes(value)) == value


def test_numbers_json_cannot_hold_are_written_as_null() -> None:
    assert json.loads(jsontext.dumps_bytes({"a": math.nan, "b": math.inf})) == {
        "a": None,
        "b": None,
    }


def test_dates_are_refused_as_json_refuses_them() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps_bytes({"when": dt.datetime(2026, 11, 24, tzinfo=dt.UTC)})
    with pytest.raises(TypeError):
        jsontext.checked_dumps({"when": dt.date(2026, 11, 24)})
