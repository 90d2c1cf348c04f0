"""Admins set the learned model's threshold per category in a draft (then test, backtest and
publish it like any rule change), see every category's score in the test box and the model's
flags with their scores in the backtest, and the statistics give each rule's and each model
category's reversal rate."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from accounts.models import AuditEvent
from moderation.actions.comments import do_ignore_comment, do_unhide_comment
from moderation.backtest import rule_statistics
from moderation.jobs import evaluate_comments, run_backtest
from moderation.models import Backtest, Comment
from rules.actions import do_start_draft
from rules.models import RuleSet
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

FIGURES = (
    "How much did the council pay consultants for the northern bypass that never got built? "
    "I want the actual figure."
)


def _default() -> RuleSet:
    return RuleSet.objects.get(is_default=True)


def test_a_threshold_set_in_a_draft_is_saved_audited_and_applied_by_the_test_box(adam) -> None:
    draft = do_start_draft(_default(), actor=SystemActor.system("test"))
    client = signed_in(Client(), adam)
    form = client.get(f"/rules/versions/{draft.pk}/settings/").content.decode()
    assert 'name="threshold_foi_request"' in form
    assert "cross-validated precision" in form

    response = client.post(
        f"/rules/versions/{draft.pk}/settings/",
        {
            "blocked_domains": "",
            "other": "",
            "model_enabled": "on",
            "threshold_foi_request": "1",
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.settings["model"]["thresholds"]["foi_request"] == 1.0
    assert draft.settings["model"]["enabled"] is True
    event = AuditEvent.objects.filter(event_type="rules.version.settings_saved").latest("id")
    assert event.after is not None
    assert event.after["model"]["thresholds"]["foi_request"] == 1.0

    box = client.post(f"/rules/versions/{draft.pk}/test/", {"text": FIGURES})
    page = box.content.decode()
    assert "Learned classifier scores" in page
    scores = page.split("Learned classifier scores")[1]
    assert "foi request" in scores and 'class="num">1</td>' in scores
    assert "model.foi_request" not in page  # its score (0.9994) is below the draft's threshold


def test_a_threshold_out_of_range_is_refused(adam) -> None:
    draft = do_start_draft(_default(), actor=SystemActor.system("test"))
    response = signed_in(Client(), adam).post(
        f"/rules/versions/{draft.pk}/settings/",
        {"blocked_domains": "", "other": "", "model_enabled": "on", "threshold_abuse": "1.5"},
    )
    assert response.status_code == 400


def test_the_backtest_lists_the_models_flags_with_their_scores(adam) -> None:
    CommentFactory(channel=ChannelFactory(), text=FIGURES)
    live = _default().versions.get(state="live")
    client = signed_in(Client(), adam)

    client.post(
        f"/rules/versions/{live.pk}/backtests/",
        {"since": "2000-01-01", "until": "2100-01-01"},
    )

    backtest = Backtest.objects.get()
    run_backtest(backtest.pk)  # what the worker does with the queued job
    backtest.refresh_from_db()
    assert backtest.state == Backtest.State.DONE, backtest.error
    model = backtest.results["model"]
    assert model["foi_request"]["flagged"] == 1
    assert model["foi_request"]["lowest"] >= 0.9
    page = client.get(f"/rules/backtests/{backtest.pk}/").content.decode()
    assert "Learned classifier" in page and "foi request" in page


def test_statistics_give_the_models_reversal_rate_per_category(adam) -> None:
    channel = ChannelFactory()
    flagged = []
    for text in (FIGURES, "You absolute muppet"):
        comment = CommentFactory(channel=channel, text=text)
        evaluate_comments([comment.pk])
        flagged.append(Comment.objects.get(pk=comment.pk))
    do_unhide_comment(flagged[1], actor=adam)
    do_ignore_comment(flagged[0], actor=adam)

    rows = {row["rule_key"]: row for row in rule_statistics(_default().pk)}

    assert rows["model.foi_request"]["hits"] == 1
    assert rows["model.foi_request"]["reversed_count"] == 1
    insults = rows["abuse.insults"]
    assert insults["hits"] == 1 and insults["reversal_rate"] == 1.0
    page = signed_in(Client(), adam).get(f"/rules/{_default().pk}/statistics/").content.decode()
    assert "Learned classifier" in page and "model.foi_request" in page
