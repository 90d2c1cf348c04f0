"""A title only one person holds ("the provost", "the chief exec", "our chairman", "the head of
parking services") names that person for the staff-criticism rule, as a name would; the
organisation in general, companies, national politicians, the mayor's fund and the chair one
sits on name nobody, and thanks or questions about a post-holder are not criticism."""

from __future__ import annotations

import pytest

from tests.rules.staff_rule import staff_engine

ENGINE = staff_engine()


def named(text: str) -> list[str]:
    return [text[s:e].lower() for m in ENGINE.evaluate(text) for s, e in m.spans]


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("The provost is a disgrace and should resign", "provost"),
        ("the chief exec is clueless", "chief exec"),
        ("Our chairman is useless, never answers an email", "chairman"),
        ("The Lord Mayor is an embarrassment to this city", "lord mayor"),
        ("The head of parking services is a joke", "head of parking services"),
        ("the Director of Public Health has no idea what she's doing", "director of public health"),
        ("The Police and Crime Commissioner is out of his depth", "police and crime commissioner"),
        ("The chief constable should be sacked", "chief constable"),
        ("Our useless council leader has done nothing", "council leader"),
        ("The monitoring officer is a disgrace", "monitoring officer"),
        ("The town clerk is rude and arrogant", "town clerk"),
        ("The Mayor of Drumcallan: opens a bench, ignores the harbour. Shambles.", "mayor"),
        ("The Leader of Trentshire lives in a village with no potholes. Disgrace.", "leader"),
        ("Chief exec on 200k while the bins rot. Disgrace.", "chief exec"),
        ("The Chief Social Work Officer failed those children", "chief social work officer"),
    ],
)
def test_criticism_of_a_single_post_holder_is_found(text: str, post: str) -> None:
    assert any(post in span for span in named(text)), named(text)


@pytest.mark.parametrize(
    "text",
    [
        "The council is useless",
        "The planners are useless",
        "The mayor's fund is a disgrace, nobody knows where the money goes",
        "The chair in the waiting room is broken and disgusting",
        "The head of hair on that dog is a disaster",
        "The CEO of Thames Water should resign",
        "The Prime Minister is useless",
        "Thanks to the provost for opening the fete, brilliant day",
        "Is the chief executive still in post?",
        "Who is the head of planning? The planning system is a shambles",
        "Well done to the head of waste services and the crews",
        "The Mayor of London is a disgrace",
        "The leader of the Labour party is useless",
        "Clerk pay is awful but it's negotiated nationally",
        "A formal complaint to the PCC about the force's failure to investigate my van",
    ],
)
def test_organisations_companies_furniture_thanks_and_questions_name_nobody(text: str) -> None:
    assert named(text) == []
