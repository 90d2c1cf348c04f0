"""The learned classifier's hits in a backtest belong to no rule of the version, so "Hits per
rule" names them as the engine does ("Possible FOI request (learned classifier)"), not by their
key alone ("model.foi_request" twice over, as the demo showed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.audit import SystemActor
from moderation.actions.backtests import do_run_backtest, do_start_backtest
from moderation.jobs import evaluate_comments
from rules.compile import default_ruleset
from tests.factories import ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
FIGURES = (
    "Under the Freedom of Information Act, please tell me how much the council paid consultants "
    "for the northern bypass."
)


def test_a_model_hit_is_named_in_words_on_the_backtest_page(adam) -> None:
    comment = CommentFactory(channel=ChannelFactory(), text=FIGURES)
    evaluate_comments([comment.pk])
    ruleset = default_ruleset()
    assert ruleset is not None
    live = ruleset.versions.get(state="live")
    backtest = do_start_backtest(
        live,
        dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
        actor=SystemActor.system("test"),
    )
    do_run_backtest(backtest.pk, actor=SystemActor.system("backtest job"))
    backtest.refresh_from_db()
    model_keys = [key for key in backtest.results["per_rule"] if key.startswith("model.")]
    assert model_keys, backtest.results["per_rule"]
    assert set(backtest.results["rule_names"]) >= set(model_keys)

    page = signed_in(Client(), adam).get(f"/rules/backtests/{backtest.pk}/").content.decode()
    for key in model_keys:
        assert backtest.results["rule_names"][key] in page
        assert "(learned classifier)" in backtest.results["rule_names"][key]
