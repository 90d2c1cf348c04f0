"""The learned stage reads a comment with its organisation's settings: a named officer or
councillor is ``<staff>``, a candidate ``<candidate>``, a party ``<party>`` and the
organisation's own handles and contacts ``<org>``, so the model learns what is said of staff,
the same at every council."""

from __future__ import annotations

from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.masks import (
    CANDIDATE_WORD,
    ORG_WORD,
    PARTY_WORD,
    STAFF_WORD,
    build_masks,
)
from rules.engine.learned.stage import LearnedStage
from tests.rules.learned_fixtures import tiny_model

SETTINGS = {
    "own_names": ["Wealdmoor Borough Council", "@WealdmoorBC", "WealdmoorBC"],
    "own_contacts": {
        "phones": ["0306 999 0123"],
        "emails": ["foi@wealdmoor.gov.uk"],
        "postcodes": ["TN12 9WB"],
        "domains": ["wealdmoor.gov.uk"],
    },
    "own_domains": ["wealdmoor.gov.uk"],
    "staff_names": ["Fiona McAllister", "Eleanor Price"],
    "candidates": ["Hannah Lowe"],
}
MASKS = build_masks(SETTINGS)


def words(text: str, settings: dict | None = SETTINGS) -> list[str]:
    masks = build_masks(settings)
    return [token.text for token in extract(Document(text), masks).tokens]


def properties(text: str) -> set[str]:
    return {f for f in extract(Document(text), MASKS).extra if f.startswith("x:")}


def test_staff_are_masked_by_full_name_title_or_capitalised_surname() -> None:
    assert words("Fiona McAllister is useless") == [STAFF_WORD, "is", "useless"]
    assert words("Cllr McAllister is useless") == ["cllr", STAFF_WORD, "is", "useless"]
    assert words("ask mrs price") == ["ask", "mrs", STAFF_WORD]
    assert words("McAllister's plan") == [STAFF_WORD, "plan"]


def test_a_surname_that_is_an_ordinary_word_is_masked_only_when_it_names_someone() -> None:
    assert words("Price of parking is mad") == ["price", "of", "parking", "is", "mad"]
    assert words("the price went up") == ["the", "price", "went", "up"]
    assert words("Ask Price about it") == ["ask", STAFF_WORD, "about", "it"]


def test_a_councillor_nobody_configured_is_staff_as_the_rule_reads_it() -> None:
    assert words("Cllr Patel never replies") == ["cllr", STAFF_WORD, "never", "replies"]
    assert words("cllr patel never replies") == ["cllr", "patel", "never", "replies"]


def test_candidates_and_parties_are_masked() -> None:
    assert words("Vote Hannah Lowe, Greens all the way") == [
        "vote",
        CANDIDATE_WORD,
        PARTY_WORD,
        "all",
        "the",
        "way",
    ]
    assert words("The Green Party candidate opened the fete", None) == [
        "the",
        PARTY_WORD,
        "candidate",
        "opened",
        "the",
        "fete",
    ]
    assert words("Reform's plan", None) == [PARTY_WORD, "plan"]


def test_party_words_in_ordinary_use_or_place_names_are_not_masked() -> None:
    assert PARTY_WORD not in words("labour costs and a conservative estimate")
    assert PARTY_WORD not in words("We met at Copsey Green by the Labour Club")
    assert PARTY_WORD not in words("Reform Road is closed")
    assert PARTY_WORD not in words("Kessel Green library is open late")


def test_the_organisations_handles_and_contacts_are_masked() -> None:
    assert words("@WealdmoorBC fix it") == [ORG_WORD, "fix", "it"]
    assert words("Wealdmoor council") == [ORG_WORD, "council"]
    assert words("email foi@wealdmoor.gov.uk or ring 0306 999 0123") == [
        "email",
        ORG_WORD,
        "or",
        "ring",
        ORG_WORD,
    ]


def test_own_contacts_are_not_read_as_someones_details_or_a_strange_link() -> None:
    own = properties("ring 0306 999 0123 or see https://www.wealdmoor.gov.uk/bins")
    assert "x:own_contact" in own and "x:own_url" in own
    assert not own & {"x:long_number", "x:url", "x:email"}
    other = properties("ring 07700 900123 or email jo@example.com, see https://bit.ly/x")
    assert {"x:long_number", "x:email", "x:url"} <= other
    assert "x:own_contact" not in other


def test_masked_words_have_no_character_grams_and_are_not_names() -> None:
    extracted = extract(Document("I think Fiona McAllister lied"), MASKS)
    assert not any(feature.startswith("c:") and "mcal" in feature for feature in extracted.features)
    assert "w:<name>" not in extracted.extra
    assert extracted.tokens[2].shown == "fiona mcallister"


def test_with_no_settings_only_parties_are_masked() -> None:
    assert words("Fiona McAllister backs Labour", None) == [
        "fiona",
        "mcallister",
        "backs",
        PARTY_WORD,
    ]


def test_the_stage_reads_comments_with_its_organisations_settings() -> None:
    stage = LearnedStage(tiny_model(), {**SETTINGS, "model": {"enabled": True}})
    assert [t.text for t in stage.extract(Document("Eleanor Price is a numpty")).tokens] == [
        STAFF_WORD,
        "is",
        "a",
        "numpty",
    ]
