"""The learned stage sees a post only one person holds ("the provost", "our chairman") as
``<staff>``, like a name; the mayor's fund, a company's chief executive and the council in
general stay words."""

from __future__ import annotations

from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.masks import STAFF_WORD, build_masks


def words(text: str) -> list[str]:
    return [token.text for token in extract(Document(text), build_masks({})).tokens]


def test_single_posts_are_staff() -> None:
    assert words("the provost is useless") == ["the", STAFF_WORD, "is", "useless"]
    assert words("Our chairman never answers") == ["our", STAFF_WORD, "never", "answers"]
    assert words("the chief exec lied") == ["the", STAFF_WORD, "lied"]
    assert words("the head of parking services is a joke")[:2] == ["the", STAFF_WORD]
    assert words("Chief exec on 200k")[:2] == [STAFF_WORD, "on"]
    # The post-holder's own car: a threat at them is about them.
    assert words("see the chief exec's car")[:3] == ["see", "the", STAFF_WORD]


def test_things_named_after_a_post_and_other_bodies_posts_are_not_staff() -> None:
    assert STAFF_WORD not in words("the mayor's fund is a disgrace")
    assert STAFF_WORD not in words("the ceo of thames water should resign")
    assert STAFF_WORD not in words("the council is useless")
    assert STAFF_WORD not in words("a chair in the library")
