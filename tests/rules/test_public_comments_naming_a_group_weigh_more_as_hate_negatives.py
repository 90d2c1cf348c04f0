"""In the hate category, a public comment that names a protected group and is labelled not
hateful weighs ``GROUP_NEGATIVE_WEIGHT`` times its source's share, so that naming a group is
not read as hate; council comments and hateful rows keep their weights."""

from __future__ import annotations

import pytest

from rules.training.items import Item
from rules.training.plan import COUNCIL_WEIGHT, GROUP_NEGATIVE_WEIGHT, category_rows

ITEMS = [
    Item("hateval", "1", "Migrants are vermin", {"hate": True}),
    Item("hateval", "2", "Migrants arrived at the port", {"hate": False}),
    Item("hateval", "3", "Lovely weather", {"hate": False}),
    Item("council_a", "4", "The mosque's coffee morning is on", {"hate": False}),
]
NAMES_GROUP = [True, True, False, True]


def test_a_public_negative_naming_a_group_weighs_more() -> None:
    rows = category_rows("hate", ITEMS, names_group=NAMES_GROUP)
    weight = dict(zip(rows.index.tolist(), rows.weight.tolist(), strict=True))
    assert GROUP_NEGATIVE_WEIGHT["hate"] > 1
    assert weight[1] == pytest.approx(GROUP_NEGATIVE_WEIGHT["hate"] * weight[2])
    assert weight[3] == pytest.approx(COUNCIL_WEIGHT)


def test_without_group_marks_every_public_negative_weighs_the_same() -> None:
    rows = category_rows("hate", ITEMS)
    weight = dict(zip(rows.index.tolist(), rows.weight.tolist(), strict=True))
    assert weight[1] == pytest.approx(weight[2])


def test_other_categories_are_not_reweighted() -> None:
    assert set(GROUP_NEGATIVE_WEIGHT) == {"hate"}
