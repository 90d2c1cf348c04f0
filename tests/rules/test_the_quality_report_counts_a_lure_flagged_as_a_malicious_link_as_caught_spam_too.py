"""The public spam sets (YouTube, SMS) label prize and voucher lures with a link spam; the
engine flags them malicious_link and not spam as well, as the council labels have it. The
quality report scores those sets on the spam category alone and, in a second row, on spam or
a malicious link, as it scores the public abuse sets on abuse and on any abusive flag."""

from __future__ import annotations

from bench.quality import UNION_SETS, UNIONS, Predicted, found_by
from rules.training.items import Item


def item(uid: str, spam: bool) -> Item:
    return Item(source="sms", uid=uid, text="x", labels={"spam": spam})


def test_a_malicious_link_counts_as_caught_spam_only_in_the_union_row() -> None:
    items = [item("1", True), item("2", True), item("3", False)]
    predicted = {
        ("sms", "1"): Predicted(set(), {"malicious_link"}),
        ("sms", "2"): Predicted(set(), {"spam"}),
        ("sms", "3"): Predicted(set(), set()),
    }
    assert found_by(items, predicted, "shipped", "spam") == [False, True, False]
    union = UNIONS["spam"][0]
    assert found_by(items, predicted, "shipped", "spam", union=union) == [True, True, False]


def test_only_the_spam_and_abuse_sets_have_a_union_row() -> None:
    assert {"youtube", "sms", "olid"} <= set(UNION_SETS)
    assert "smishing" not in UNION_SETS
    assert "malicious_link" not in UNIONS
