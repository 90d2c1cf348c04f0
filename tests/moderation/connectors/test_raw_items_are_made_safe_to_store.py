"""``clean_raw``: a platform's raw item, safe for a JSON column, unchanged when already safe."""

from __future__ import annotations

import json
import math

from moderation.connectors.parsing import _MAX_RAW_DEPTH, clean_raw


def test_an_item_that_is_already_safe_is_returned_as_it_is() -> None:
    item = {"id": "1_2", "message": "Bin day moved 🙂", "from": {"id": "9"}, "likes": [1, 2.5]}
    assert clean_raw(item) is item


def test_nul_and_lone_surrogates_become_replacement_characters_at_any_depth() -> None:
    item = {"message": "a\x00b", "from": {"name": "x\ud800y"}, "tags": ["\udfff"], "k\x00": 1}
    cleaned = clean_raw(item)
    assert cleaned == {
        "message": "a\ufffdb",
        "from": {"name": "x\ufffdy"},
        "tags": ["\ufffd"],
        "k\ufffd": 1,
    }
    assert item["message"] == "a\x00b"  # the caller's item is not changed


def test_a_pair_of_surrogates_is_a_real_character_and_is_kept() -> None:
    item = {"message": "😀 and \\u0000 written out"}
    assert clean_raw(item) == item


def test_numbers_json_cannot_hold_become_null() -> None:
    assert clean_raw({"a": math.nan, "b": [math.inf, -math.inf], "c": 1.5}) == {
        "a": None,
        "b": [None, None],
        "c": 1.5,
    }


def test_values_json_does_not_know_become_text() -> None:
    assert clean_raw({"when": {1, 2} and frozenset({3}), 4: (5, 6)}) == {
        "when": "frozenset({3})",
        "4": [5, 6],
    }


def test_nesting_deeper_than_the_limit_is_cut_and_stays_storable() -> None:
    item: dict[str, object] = {"leaf": "x"}
    for _ in range(5_000):  # deeper than json.dumps itself can go
        item = {"down": item}
    cleaned = clean_raw(item)
    text = json.dumps(cleaned)
    assert text.count("{") == _MAX_RAW_DEPTH + 1
    innermost = cleaned
    while isinstance(innermost, dict):
        innermost = innermost["down"]
    assert innermost == "…"
