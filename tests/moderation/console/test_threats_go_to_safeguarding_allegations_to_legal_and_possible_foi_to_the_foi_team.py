"""Issue 15's misses, end to end through evaluation: threats and calls to pile on (rules or
the model) are escalated to safeguarding; a named allegation of crime is held and routed to
legal; a request for recorded information with no FOI wording reaches the FOI team as a
"possible FOI request" (the policy: forward when unsure)."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.jobs import evaluate_comments
from moderation.models import Comment
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _evaluated(text: str) -> Comment:
    comment = CommentFactory(channel=ChannelFactory(), text=text)
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    return comment


def _routes(comment: Comment) -> set[str]:
    return set(comment.escalations.values_list("route__key", flat=True))


@pytest.mark.parametrize(
    "text",
    [
        "I know where you live and I'll kill you",
        "Someone should torch county hall with the lot of them inside",
        "Everyone flood Pennington's inbox and ring his home number until he resigns",
    ],
)
def test_threats_and_pile_ons_are_escalated_to_safeguarding(text: str) -> None:
    comment = _evaluated(text)

    assert "harassment" in comment.categories
    assert comment.status == Comment.Status.ESCALATED
    assert "safeguarding" in _routes(comment)


def test_a_named_allegation_of_corruption_is_held_and_routed_to_legal() -> None:
    comment = _evaluated("Councillor Pennington took bribes from the developer, everyone knows it")

    assert "legal" in _routes(comment)
    assert comment.actions.filter(kind="hide").exists()
    assert comment.flags.filter(rule_key="staff_criticism.allegations", outcome="hold").exists()


def test_a_request_for_figures_reaches_the_foi_team_as_a_possible_foi_request(olivia) -> None:
    comment = _evaluated(
        "How much did the council pay consultants for the northern bypass that never got "
        "built? I want the actual figure."
    )

    assert "foi" in _routes(comment)
    flag = comment.flags.get(category="foi_request")
    assert flag.rule_key == "model.foi_request" and flag.rule_id is None
    page = signed_in(Client(), olivia).get(f"/queue/{comment.pk}/").content.decode()
    assert "Possible FOI request" in page
