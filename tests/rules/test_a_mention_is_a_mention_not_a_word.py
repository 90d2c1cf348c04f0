"""A mention ("@USER", "@jo_smith") is a property of the text (``x:mention``), not a word: the
leetspeak fold reads "@" as "a", and the public tweet sets' placeholder "@USER" became the word
"auser", which the hate model learnt as evidence (its hateful tweets carry it) and then found in
four of ten clean OLID tweets."""

from __future__ import annotations

from rules.engine.document import Document
from rules.engine.learned.features import extract


def test_a_mention_gives_no_folded_word() -> None:
    found = extract(Document("@USER @jo_smith thanks for sorting the bins"))
    assert "x:mention" in found.features
    assert not {"auser", "ajo_smith", "ajo"} & set(found.words)
    assert "thanks" in found.words


def test_other_folded_words_are_still_read() -> None:
    assert "fuck" in extract(Document("what the f u c k")).words
    assert "shit" in extract(Document("this is sh1t")).words
