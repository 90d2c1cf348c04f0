"""Toxic Spans has almost no clean comments, so each abusive comment with the spans most of its
annotators marked cut out serves as a clean one of the same kind; it falls on its comment's
side of the split, so no validation comment is ever trained on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rules.training.plan import PLAN
from rules.training.public_sources import load_toxic_spans, load_toxic_spans_rest
from rules.training.splits import validation_uids

HEADER = [
    "comment_id",
    "comment_text",
    "n_annotations",
    "n_annotations_without_spans",
    "n_annot_insult",
    "n_annot_threat",
    "n_annot_identity_attack",
    "n_annot_profane_obscene",
    "n_annot_other_toxicity",
    "spans_json",
]


def write_comments(root: Path, rows: list[tuple[str, str, list[tuple[str, int, int]]]]) -> None:
    folder = root / "abuse" / "toxic_spans"
    folder.mkdir(parents=True)
    with open(folder / "toxic_spans_per_comment.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for comment_id, text, marked in rows:
            spans = [[worker, "Insult", start, end] for worker, start, end in marked]
            insults = len({worker for worker, _, _ in marked})
            writer.writerow([comment_id, text, 2, 0, insults, 0, 0, 0, 0, json.dumps(spans)])


def test_the_marked_words_are_cut_out_and_the_rest_is_not_abuse(tmp_path: Path) -> None:
    text = "The minister is a lying idiot and the budget plan will cost us all more in tax"
    start = text.index("a lying idiot")
    end = start + len("a lying idiot")
    write_comments(tmp_path, [("7", text, [("w1", start, end), ("w2", start, end)])])
    [rest] = load_toxic_spans_rest(tmp_path)
    assert rest.text == "The minister is and the budget plan will cost us all more in tax"
    assert rest.labels == {"abuse": False}
    assert rest.source == "toxic_spans_rest"


def test_a_span_only_one_annotator_of_two_marked_is_cut_too_but_an_unmarked_comment_gives_nothing(
    tmp_path: Path,
) -> None:
    text = "Honestly this council tax rise is a disgrace and you lot are clowns"
    start = text.index("clowns")
    write_comments(
        tmp_path,
        [
            ("1", text, [("w1", start, start + len("clowns"))]),
            ("2", "What a stupid idea", []),
        ],
    )
    rests = load_toxic_spans_rest(tmp_path)
    assert [rest.text for rest in rests] == [
        "Honestly this council tax rise is a disgrace and you lot are"
    ]


def test_a_fragment_left_over_is_dropped(tmp_path: Path) -> None:
    text = "You absolute moron"
    write_comments(tmp_path, [("3", text, [("w1", 4, 18), ("w2", 4, 18)])])
    assert load_toxic_spans_rest(tmp_path) == []


def test_each_rest_is_on_its_comments_side_of_the_split(tmp_path: Path) -> None:
    rows = []
    for number in range(60):
        text = f"Comment {number} about the bypass says the planners are total idiots really"
        start = text.index("total idiots")
        rows.append((str(number), text, [("w1", start, start + 12), ("w2", start, start + 12)]))
    write_comments(tmp_path, rows)
    held = validation_uids(load_toxic_spans(tmp_path))
    rests = load_toxic_spans_rest(tmp_path)
    assert 0 < len(held) < 60
    for rest in rests:
        comment = rest.uid.removesuffix("-rest")
        assert (rest.fixed_split == "validation") == (comment in held)
    assert validation_uids(rests) == {f"{uid}-rest" for uid in held}


def test_the_abuse_model_weighs_the_rests_as_much_as_the_comments() -> None:
    assert PLAN["abuse"]["toxic_spans_rest"].budget == PLAN["abuse"]["toxic_spans"].budget
    assert not PLAN["abuse"]["toxic_spans_rest"].negative
