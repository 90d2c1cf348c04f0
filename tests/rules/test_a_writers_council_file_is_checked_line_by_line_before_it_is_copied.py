"""``python -m bench.council_data`` checks every line of a writer's file, and its
organisations' settings, before copying anything: a bad line is named and nothing is lost."""

from __future__ import annotations

import json

import pytest

from bench.council_data import problems

ORGS = [{"org": "kv", "name": "Kennock Vale Council", "handles": ["KennockValeCouncil"]}]
GOOD = {"id": "ch-1", "text": "Bins missed again", "author": "Sam", "categories": [], "org": "kv"}


def write(tmp_path, lines: list[str], orgs: object = ORGS):
    path = tmp_path / "council_train_z.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.with_suffix(".orgs.json").write_text(json.dumps(orgs), encoding="utf-8")
    return path


def test_a_well_formed_file_has_no_problems(tmp_path) -> None:
    assert problems(write(tmp_path, [json.dumps(GOOD)])) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"categories": ["hate_speech"]}, "unknown categories ['hate_speech']"),
        ({"categories": "hate"}, "categories must be a list"),
        ({"org": "elsewhere"}, "org 'elsewhere' not in the .orgs.json"),
        ({"text": "  "}, "no text"),
        ({"author": 7}, "author must be text"),
    ],
)
def test_a_bad_line_is_named_with_its_number(tmp_path, change: dict, named: str) -> None:
    path = write(tmp_path, [json.dumps(GOOD), json.dumps({**GOOD, "id": "ch-2", **change})])
    assert problems(path) == [f"council_train_z.jsonl:2: {named}"]


def test_a_duplicate_id_and_a_broken_line_are_named(tmp_path) -> None:
    path = write(tmp_path, [json.dumps(GOOD), json.dumps(GOOD), '{"id": "ch-3", "text": '])
    found = problems(path)
    assert found[0] == "council_train_z.jsonl:2: missing or duplicate id 'ch-1'"
    assert found[1].startswith("council_train_z.jsonl:3: not JSON")


def test_missing_or_malformed_organisation_settings_are_named(tmp_path) -> None:
    path = write(tmp_path, [json.dumps(GOOD)], orgs={"org": "kv"})
    assert problems(path)[0] == "council_train_z.orgs.json: must be a list of organisations"
    path.with_suffix(".orgs.json").unlink()
    assert problems(path)[0] == "council_train_z.orgs.json: missing"
