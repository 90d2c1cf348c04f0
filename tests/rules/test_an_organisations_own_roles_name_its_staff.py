"""A staff entry may carry its role ({"name": ..., "role": ...}); "the <role>" then names that
person for the rule and the learned stage, as the name does. Plain names keep working."""

from __future__ import annotations

from rules.engine.detectors.people import staff_names_and_roles
from rules.engine.document import Document
from rules.engine.learned.features import extract
from rules.engine.learned.masks import STAFF_WORD, build_masks
from tests.rules.staff_rule import staff_engine

SETTINGS = {
    "staff_names": [
        "Jane Smith",
        {"name": "Tom Pascoe", "role": "Station Manager, Brockholme"},
        {"name": "Cllr Ann Rowe", "role": "Cllr, Cabinet Member for Housing"},
        {"name": "Bill Hart", "role": "Ward Councillor, Holmsike"},
    ]
}
ENGINE = staff_engine(SETTINGS)


def named(text: str) -> list[str]:
    return [text[s:e] for m in ENGINE.evaluate(text) for s, e in m.spans]


def test_entries_give_names_and_the_roles_that_name_one_person() -> None:
    names, roles = staff_names_and_roles(SETTINGS)
    assert names == ["Jane Smith", "Tom Pascoe", "Cllr Ann Rowe", "Bill Hart"]
    # A place after a comma and a role many people hold ("ward councillor") are not roles.
    assert roles == ["station manager", "cabinet member for housing"]


def test_roles_may_also_be_listed_on_their_own() -> None:
    assert staff_names_and_roles({"staff_roles": ["Harbourmaster"]}) == ([], ["harbourmaster"])


def test_criticism_of_a_configured_role_names_its_holder() -> None:
    assert named("The station manager is a disgrace") == ["The station manager"]
    assert named("our cabinet member for housing is clueless") == ["our cabinet member for housing"]
    assert named("Jane Smith is useless") == ["Jane Smith"]
    assert named("Tom Pascoe is useless") == ["Tom Pascoe"]


def test_the_learned_stage_reads_a_configured_role_as_staff() -> None:
    masks = build_masks(SETTINGS)
    tokens = [t.text for t in extract(Document("the station manager is useless"), masks).tokens]
    assert tokens == ["the", STAFF_WORD, "is", "useless"]
    plain = [t.text for t in extract(Document("Pascoe is useless"), masks).tokens]
    assert plain == [STAFF_WORD, "is", "useless"]
