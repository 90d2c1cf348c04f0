"""`manage.py classify`: JSON Lines in, one verdict line out per input, in order, no writes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.classify import classify_lines, load_live_ruleset, run
from moderation.models import Comment


def classify(lines: list[str]) -> list[dict[str, Any]]:
    compiled, _ = load_live_ruleset()
    out = io.StringIO()
    run(iter(lines), out, compiled)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_each_line_gets_its_verdict_in_input_order() -> None:
    results = classify(
        [
            json.dumps({"id": 1, "text": "Thanks for fixing the streetlight"}),
            json.dumps(
                {
                    "id": "b",
                    "text": "Under the Freedom of Information Act please send me "
                    "the cost of the roadworks contract.",
                }
            ),
            json.dumps({"id": 3, "text": "Call my neighbour on 07700 900123, she knows"}),
        ]
    )
    assert [r["id"] for r in results] == [1, "b", 3]
    assert results[0]["categories"] == []
    assert "foi_request" in results[1]["categories"]
    assert "personal_data" in results[2]["categories"]


@pytest.mark.django_db
def test_spans_point_into_the_original_text() -> None:
    text = "Call my neighbour on 07700 900123, she knows"
    (result,) = classify([json.dumps({"id": 1, "text": text})])
    spans = [tuple(s) for m in result["matches"] for s in m["spans"]]
    assert any(text[a:b] == "07700 900123" for a, b in spans)


@pytest.mark.django_db
def test_a_line_that_is_not_json_gets_an_error_and_the_rest_continue() -> None:
    results = classify(["{not json", json.dumps({"id": 2, "text": "hello"}), "[1, 2]"])
    assert results[0]["id"] is None and "not valid JSON" in str(results[0]["error"])
    assert results[1] == {"id": 2, "categories": [], "matches": []}
    assert results[2]["id"] is None and "error" in results[2]


@pytest.mark.django_db
def test_repetition_is_judged_across_the_lines_of_the_input() -> None:
    spam = "Please sort out the road outside number twelve, it has been months now"
    results = classify([json.dumps({"id": n, "text": spam, "author": "same"}) for n in range(4)])
    assert "spam" not in results[0]["categories"]
    assert "spam" in results[-1]["categories"]


@pytest.mark.django_db
def test_classifying_writes_nothing_to_the_database() -> None:
    before = AuditEvent.objects.count()
    classify([json.dumps({"id": 1, "text": "You absolute idiot"})])
    assert AuditEvent.objects.count() == before
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_lines_are_processed_as_a_stream() -> None:
    compiled, _ = load_live_ruleset()
    lines = (json.dumps({"id": n, "text": "ok"}) for n in range(3))
    stream = classify_lines(lines, compiled)
    assert next(stream)["id"] == 0  # the first verdict is ready before the input is exhausted
