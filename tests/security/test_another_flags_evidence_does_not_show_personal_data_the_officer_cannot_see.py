"""Where personal data is masked for the officer, no flag's evidence shows it: not the
personal-data flag's (which shows no words) and not another rule's whose match runs over it, nor
a learned model's words taken from it. The officer sees the mask there, as in the comment."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.models import Comment, Flag
from tests.factories import CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

TEXT = "Ring me on 07700 900123 for cheap loans"
NUMBER = (11, 23)  # "07700 900123"


def _comment_with_a_number_matched_twice() -> Comment:
    comment = CommentFactory(
        text=TEXT, status=Comment.Status.REVIEW, categories=["personal_data", "spam"]
    )
    assert TEXT[NUMBER[0] : NUMBER[1]] == "07700 900123"
    common = {"comment": comment, "ruleset_version": 1, "severity": 3, "outcome": "review"}
    Flag.objects.create(
        **common,
        rule_key="pii.phone",
        rule_name="Phone number",
        category="personal_data",
        spans=[list(NUMBER)],
    )
    Flag.objects.create(
        **common,
        rule_key="spam.call_me",
        rule_name="Asks people to ring a number",
        category="spam",
        spans=[[0, NUMBER[1]]],  # "Ring me on 07700 900123"
    )
    Flag.objects.create(
        **common,
        rule_key="model.spam",
        rule_name="Spam (learned classifier)",
        category="spam",
        detector="model",
        score=0.9,
        spans=[],
        terms=["cheap loans", "07700", "900123"],
    )
    return comment


def test_an_officer_sees_no_masked_number_in_any_flags_evidence(olivia) -> None:
    comment = _comment_with_a_number_matched_twice()

    page = signed_in(Client(), olivia).get(f"/queue/{comment.pk}/").content.decode()

    assert "07700" not in page
    assert "900123" not in page
    why = page.split('id="why-title"')[1]
    assert "cheap loans" in why  # the words that are not personal data are still shown


def test_a_manager_who_reveals_it_sees_the_words_again(maya) -> None:
    comment = _comment_with_a_number_matched_twice()
    client = signed_in(Client(), maya)
    before = client.get(f"/queue/{comment.pk}/").content.decode()
    assert "900123" not in before and "Ring me on [personal data hidden]" in before
    client.post(f"/queue/{comment.pk}/reveal/", {"reason": "Checking the spam rule"})

    page = client.get(f"/queue/{comment.pk}/").content.decode()

    assert "Ring me on 07700 900123" in page.split('id="why-title"')[1]
