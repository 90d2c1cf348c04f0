"""Training's cross-validation sees the learned stage's gates: a text a spam model flag may not
fire on (fewer than four different words) is never an out-of-fold model flag, so thresholds and
out-of-fold figures are those of what ships."""

from __future__ import annotations

import itertools

import numpy as np

from rules.engine.learned.implied import MIN_SPAM_WORDS
from rules.training.items import Item
from rules.training.train import features_of, train

GOODS = ["watches", "handbags", "trainers", "perfume", "sunglasses", "headphones"]
SHOPS = ["cheapdeals", "bargainhub", "megastore", "shopnow", "dealzone", "bestbuys"]


def fixture() -> list[Item]:
    items = []
    for n, (goods, shop) in enumerate(itertools.product(GOODS, SHOPS)):
        texts = [
            (f"cheap {goods} for sale today at {shop} dot com", True),
            # The advert's words, too short for a spam flag: a reply quoting it.
            (f"cheap {goods}", False),
            (f"the bins on {shop} road were missed again", False),
        ]
        for k, (text, spam) in enumerate(texts):
            items.append(Item("council_fixture", f"{n}-{k}", text, {"spam": spam}))
    return items


def test_texts_failing_the_spam_gate_are_never_out_of_fold_flags() -> None:
    items = fixture()
    gates = features_of(items).gates["spam"]
    short = np.array([len(set(item.text.split())) < MIN_SPAM_WORDS for item in items])
    assert (gates == ~short).all()
    trained = train(
        items, lambda item: set(), categories=("spam",), plan={}, min_df=1, c_grid=(4.0,)
    )
    rows, scores = trained.report["out_of_fold"]["spam"]
    quoted = short[rows.index]
    assert quoted.any() and (scores[quoted] == 0).all()
    council = trained.report["cross_validation"]["spam"]["council"]
    assert council["model"][0] == 1.0  # out-of-fold precision: no quoted advert flagged
    assert council["model"][1] > 0.9
