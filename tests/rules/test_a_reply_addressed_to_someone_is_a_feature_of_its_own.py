"""A comment that opens by addressing someone ("Hi Shaz, we cover Saltby…", "@Joy Heard Hi
Joy…", "Thanks Nick!") answers a person, usually their question or request for a
recommendation: the learned stage reads that as a property of the text (``x:addressed``), so
a trader's answer to a resident can weigh differently from an unsolicited advert. A greeting to
everyone, or a capitalised word later on, is not addressing someone."""

from __future__ import annotations

import pytest

from rules.engine.document import Document
from rules.engine.learned.features import extract

ADDRESSED = "x:addressed"


def features(text: str) -> list[str]:
    return extract(Document(text)).features


@pytest.mark.parametrize(
    "text",
    [
        "Hi Shaz we cover Saltby and can come out this week for a free quote",
        "@Joy Heard Hi Joy, I've got spaces from January",
        "Thanks Nick! Debbie happy to pop out for a free quote",
        "hello Tracey, I do Welby every 4th Tuesday",
        "@lynne_h try Mick at Brackley Heating",
    ],
)
def test_a_comment_opening_with_a_name_or_a_mention_is_addressed(text: str) -> None:
    assert ADDRESSED in features(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi all, this is our new page! Please like and share",
        "Hello everyone, bins are late again",
        "Hi there! Have you received your cost-of-living payment?",
        "Earn £500 a day from home, message Sarah now",
        "Thanks for nothing, Harrowfield",
    ],
)
def test_a_greeting_to_everyone_or_a_name_later_is_not(text: str) -> None:
    assert ADDRESSED not in features(text)
