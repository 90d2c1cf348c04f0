"""A malicious link is malicious_link and not spam as well, whoever flags the spam: the council
labels never hold both (``corpora.harmonised``), and out of fold a quarter of the council spam
false alarms were lures the learned stage flagged spam beside a malicious link. Without a
malicious link, the model's spam flag stands."""

from __future__ import annotations

from rules.engine.learned.implied import without_spam_a_malicious_link_explains
from rules.engine.types import Match


def match(category: str, detector: str) -> Match:
    key = f"model.{category}" if detector == "model" else f"{category}.rule"
    return Match(key, category, None, 1, category, 2, "review", "", ((0, 4),), "", detector)


def test_the_models_spam_flag_beside_a_malicious_link_is_dropped() -> None:
    found = [match("spam", "model"), match("malicious_link", "model")]
    assert [m.category for m in without_spam_a_malicious_link_explains(found)] == ["malicious_link"]
    found = [match("spam", "model"), match("malicious_link", "links")]
    assert [m.category for m in without_spam_a_malicious_link_explains(found)] == ["malicious_link"]


def test_the_models_spam_flag_alone_stays() -> None:
    found = [match("spam", "model"), match("abuse", "model")]
    assert without_spam_a_malicious_link_explains(found) == found
