"""OLID's tweets its annotators found not offensive are hate negatives (as they are harassment
negatives): the hate sources are mostly tweets while most of the hate negatives are not, so the
hate model read the look of a tweet (mentions, hashtags) as evidence of hate and flagged four of
ten clean OLID tweets on its training split. Offensive tweets say nothing about hate and stay
out."""

from __future__ import annotations

from rules.training.items import Item
from rules.training.plan import category_rows


def tweet(uid: str, offensive: bool) -> Item:
    return Item(source="olid", uid=uid, text=f"@USER tweet {uid}", labels={"abuse": offensive})


def test_clean_olid_tweets_are_hate_negatives_and_offensive_ones_are_not_used() -> None:
    items = [
        tweet("1", False),
        tweet("2", True),
        Item(source="hateval", uid="3", text="@user hateful", labels={"hate": True}),
    ]
    rows = category_rows("hate", items)
    used = {
        items[position].uid: bool(label)
        for position, label in zip(rows.index, rows.label, strict=True)
    }
    assert used == {"1": False, "3": True}
    # A generic negative: it does not choose the threshold as a source of its own.
    assert rows.group[list(rows.index).index(0)] == ""
