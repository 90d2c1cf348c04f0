"""The learned stage sees every protected group's name as one masked word, so what is said of a
group counts and which group is named does not; an explanation still names the posted word.
Counter-speech cues (a condemnation, a report, a quotation, a negation after a group) are
features of their own."""

from __future__ import annotations

from rules.engine.document import Document
from rules.engine.learned.features import GROUP_WORD, extract
from tests.rules.learned_fixtures import tiny_model


def words(text: str) -> list[str]:
    return [token.text for token in extract(Document(text)).tokens]


def test_group_names_are_masked_alike() -> None:
    assert words("Muslims are welcome") == words("Romanians are welcome")
    assert words("The Polish shop") == ["the", GROUP_WORD, "shop"]
    assert f"b:are {GROUP_WORD}" not in extract(Document("Refugees are here")).extra
    assert f"b:{GROUP_WORD} are" in extract(Document("Refugees are here")).extra


def test_a_masked_word_keeps_its_own_word_for_explanations() -> None:
    tokens = extract(Document("Travellers on the rec")).tokens
    assert tokens[0].text == GROUP_WORD
    assert tokens[0].shown == "travellers"


def test_a_masked_word_has_no_character_grams() -> None:
    features = extract(Document("Muslims")).features
    assert not any(feature.startswith("c:") for feature in features)


def test_counter_speech_cues_are_features() -> None:
    def cues(text: str) -> set[str]:
        return {f for f in extract(Document(text)).extra if f.startswith("x:")}

    assert "x:group_negated" in cues("Muslims are not terrorists")
    assert "x:group_negated" not in cues("Muslims are terrorists who should not be here")
    assert "x:quoted" in cues("Someone sprayed 'migrants out' on the underpass")
    assert "x:quoted" not in cues("I don't think it's right")
    assert "x:reported" in cues("A man shouted at us in the street")
    assert "x:condemned" in cues("That is racist abuse and unacceptable")


def test_words_that_only_contain_a_group_name_are_not_masked() -> None:
    assert words("Polished floors and whitewashed walls") == [
        "polished",
        "floors",
        "and",
        "whitewashed",
        "walls",
    ]


def test_the_tiny_model_still_explains_with_posted_words() -> None:
    evidence = tiny_model().evidence(extract(Document("you useless numpty")), "abuse")
    assert evidence.terms[:2] == ("numpty", "useless")
