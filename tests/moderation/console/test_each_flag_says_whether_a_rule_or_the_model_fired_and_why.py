"""Each flag on the item page says which fired: a rule (its matched words, highlighted in the
comment) or the learned model (its calibrated score and the words that drove it); all of it
escaped, direction controls made visible."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.jobs import evaluate_comments
from moderation.models import Comment, Flag
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

FIGURES = (
    "How much did the council pay consultants for the northern bypass that never got built? "
    "I want the actual figure."
)


def _evaluated(text: str) -> Comment:
    comment = CommentFactory(channel=ChannelFactory(), text=text)
    evaluate_comments([comment.pk])
    comment.refresh_from_db()
    return comment


def test_a_model_flag_stores_and_shows_its_score_and_the_words_that_drove_it(olivia) -> None:
    comment = _evaluated(FIGURES)
    flag = comment.flags.get(rule_key="model.foi_request")
    assert flag.score is not None and 0.5 <= flag.score <= 1
    assert "consultants" in flag.terms

    page = signed_in(Client(), olivia).get(f"/queue/{comment.pk}/").content.decode()

    assert "Possible FOI request" in page
    assert "Learned classifier" in page
    assert f"{round(flag.score * 100)}%" in page
    assert "consultants" in page.split('id="why-title"')[1]


def test_a_rule_flag_shows_the_words_it_matched(olivia) -> None:
    comment = _evaluated("You absolute muppet")
    page = signed_in(Client(), olivia).get(f"/queue/{comment.pk}/").content.decode()
    why = page.split('id="why-title"')[1]

    assert "Rule" in why and "muppet" in why
    assert "<mark" in page.split('id="why-title"')[0]  # highlighted in the comment itself


def test_evidence_words_are_escaped_and_direction_controls_neutralised(olivia) -> None:
    comment = CommentFactory(text="hello", status=Comment.Status.REVIEW, categories=["abuse"])
    Flag.objects.create(
        comment=comment,
        ruleset_version=1,
        rule_key="model.abuse",
        rule_name="Abusive language (learned classifier)",
        category="abuse",
        severity=3,
        outcome="review",
        detector="model",
        spans=[[0, 5]],
        score=0.8123,
        terms=["<img src=x onerror=alert(1)>", "abc\u202edef"],
    )

    page = signed_in(Client(), olivia).get(f"/queue/{comment.pk}/").content.decode()

    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "\u202e" not in page
    assert "81%" in page
