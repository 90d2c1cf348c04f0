"""A comment the learned classifier flagged live was flagged at the time: a backtest of a draft
that flags it again must not call it "newly flagged", and a draft that no longer flags it (a
threshold raised, the classifier switched off) reports it as "no longer flagged"."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.audit import SystemActor
from moderation.actions.backtests import do_run_backtest, do_start_backtest
from moderation.jobs import evaluate_comments
from moderation.models import Backtest, Comment, Flag
from rules.actions import do_save_version_settings, do_start_draft
from rules.compile import default_ruleset
from rules.models import RuleSetVersion
from tests.factories import ChannelFactory, CommentFactory

pytestmark = pytest.mark.django_db
ADMIN = SystemActor.system("test")
# Flagged by the learned classifier alone (a possible FOI request), by no rule.
FIGURES = (
    "How much did the council pay consultants for the northern bypass that never got built? "
    "I want the actual figure."
)


@pytest.fixture
def flagged_by_the_model_alone() -> Comment:
    comment = CommentFactory(channel=ChannelFactory(), text=FIGURES)
    evaluate_comments([comment.pk])
    flags = Flag.objects.filter(comment=comment, shadow=False)
    assert [(f.rule_id, f.detector) for f in flags] == [(None, "model")]
    return comment


def _backtest(draft: RuleSetVersion) -> Backtest:
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    until = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    backtest = do_start_backtest(draft, since, until, actor=ADMIN)
    do_run_backtest(backtest.pk, actor=SystemActor.system("backtest job"))
    backtest.refresh_from_db()
    assert backtest.state == Backtest.State.DONE, backtest.error
    return backtest


def test_an_unchanged_draft_newly_flags_nothing(flagged_by_the_model_alone: Comment) -> None:
    ruleset = default_ruleset()
    assert ruleset is not None
    results = _backtest(do_start_draft(ruleset, actor=ADMIN)).results
    assert results["flagged"] == 1
    assert results["newly_flagged"] == 0
    assert results["no_longer_flagged"] == 0


def test_a_draft_without_the_classifier_no_longer_flags_it(
    flagged_by_the_model_alone: Comment,
) -> None:
    ruleset = default_ruleset()
    assert ruleset is not None
    draft = do_start_draft(ruleset, actor=ADMIN)
    model = {**draft.settings.get("model", {}), "enabled": False}
    do_save_version_settings(draft, {**draft.settings, "model": model}, actor=ADMIN)
    results = _backtest(draft).results
    assert results["flagged"] == 0
    assert results["no_longer_flagged"] == 1
    assert results["no_longer_flagged_sample"] == [flagged_by_the_model_alone.pk]
