"""Training chooses the model's thresholds on "rules OR model", so it must read the rules'
categories as the shipped engine reports them: a campaign copy (the same post by several
people, which writers label clean) is no rules spam flag; one person repeating still is."""

from __future__ import annotations

from bench.quality import split_matches
from rules.training.evaluate import rules_categories, rules_only_spec, stream_matches
from rules.training.items import Item

MESSAGE = "Save Hadleigh library! Our children need it, do not close it, sign the petition now"


def _stream(authors: list[str]) -> list[Item]:
    return [
        Item(
            source="council_x",
            uid=str(n),
            text=MESSAGE,
            labels={"spam": False},
            author=author,
            stream="council_x",
            order=n,
        )
        for n, author in enumerate(authors)
    ]


def _rules_read(authors: list[str]) -> list[set[str]]:
    items = _stream(authors)
    found = stream_matches(items, spec_for=rules_only_spec)
    return [rules_categories(found[item.uid], item.text) for item in items]


def test_a_campaign_copy_is_not_a_rules_spam_flag_in_training() -> None:
    assert _rules_read(["amy", "bob", "cat"]) == [set(), set(), set()]


def test_one_author_repeating_is_a_rules_spam_flag_in_training() -> None:
    assert _rules_read(["amy", "amy"]) == [set(), {"spam"}]


def test_the_quality_bench_reads_no_category_from_a_campaign_copy() -> None:
    items = _stream(["amy", "bob"])
    found = stream_matches(items, spec_for=rules_only_spec)
    assert found["1"] and split_matches(found["1"]).shipped == set()
