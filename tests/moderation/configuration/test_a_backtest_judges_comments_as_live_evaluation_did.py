"""A backtest evaluates each past comment with the context live evaluation gave it (the author's
earlier comments and others' recent ones on the channel, in the same order), so rules about
repetition are not reported as "no longer flagged" when nothing about them changed. Every rule
of the draft appears in "Hits per rule", new rules with none included. Comments are compared
with what this rule set decided, on the channels it judges."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.audit import SystemActor
from moderation import jobs
from moderation.actions import do_store_comments
from moderation.actions.backtests import do_run_backtest, do_start_backtest
from moderation.models import Backtest, Comment, Flag
from rules.actions import do_save_rule, do_start_draft
from rules.compile import default_ruleset
from rules.models import RuleSet
from tests.factories import ChannelFactory, fetched
from tests.helpers import signed_in
from tests.moderation.configuration.factories_configuration import rule_fields

pytestmark = pytest.mark.django_db
CONNECTOR = SystemActor.connector("facebook connector (test)")
ADMIN = SystemActor.system("test")
CAMPAIGN = "Sign the petition to stop the Elm Road bypass before the council meeting on Thursday"
QUESTIONS = (
    "When is the brown bin collected on Mill Lane?",
    "The streetlight outside the library has been out for a week",
    "Is the swimming pool open on Saturday mornings this summer?",
    "Thanks for fixing the pothole on Station Street so quickly",
    "Where can I find the planning application for the new school?",
    "Will the road closure affect the number 7 bus to the hospital?",
)


@pytest.fixture
def campaign_week() -> list[int]:
    """A copy-and-paste campaign by five people amid ordinary comments, judged live."""
    channel = ChannelFactory()
    comments = []
    for n in range(12):
        if n % 2:
            comments.append(fetched(CAMPAIGN, author_id=f"campaigner-{n}", platform_id=f"c{n}"))
        else:
            text = QUESTIONS[n // 2]
            comments.append(fetched(text, author_id=f"resident-{n}", platform_id=f"c{n}"))
    stored = do_store_comments(channel, comments, actor=CONNECTOR)
    jobs.evaluate_comments(stored.new_comment_ids)
    return stored.new_comment_ids


def _backtest_with_two_new_rules() -> Backtest:
    ruleset = default_ruleset()
    assert ruleset is not None
    draft = do_start_draft(ruleset, actor=ADMIN)
    do_save_rule(
        draft,
        key="fruit-words",
        fields=rule_fields("Fruit words", "words", {"words": ["kumquat"]}),
        actor=ADMIN,
    )
    do_save_rule(
        draft,
        key="fruit-prices",
        fields=rule_fields("Fruit prices", "regex", {"pattern": r"£\d+ a kilo"}),
        actor=ADMIN,
    )
    since = Comment.objects.earliest("received_at").received_at
    until = Comment.objects.latest("received_at").received_at
    backtest = do_start_backtest(draft, since, until.replace(year=until.year + 1), actor=ADMIN)
    do_run_backtest(backtest.pk, actor=SystemActor.system("backtest job"))
    backtest.refresh_from_db()
    return backtest


def test_repetition_hits_are_found_again_not_lost(campaign_week: list[int]) -> None:
    # Five people posting one message is a campaign (spam.campaign, for review), not spam.
    live = Flag.objects.filter(
        rule_key="spam.campaign", shadow=False, rule__version__ruleset=default_ruleset()
    )
    # Every copy after the first, judged against the ones before it.
    assert live.count() == 5

    results = _backtest_with_two_new_rules().results

    assert results["no_longer_flagged"] == 0
    assert results["newly_flagged"] == 0
    assert results["per_rule"]["spam.campaign"] == 5


def test_new_rules_with_no_hits_are_listed_with_zero(campaign_week: list[int], adam) -> None:
    backtest = _backtest_with_two_new_rules()
    per_rule = backtest.results["per_rule"]
    assert per_rule["fruit-words"] == 0
    assert per_rule["fruit-prices"] == 0
    assert set(per_rule) == set(backtest.version.rules.values_list("key", flat=True))
    page = signed_in(Client(), adam).get(f"/rules/backtests/{backtest.pk}/").content.decode()
    assert "fruit-words" in page and "Fruit prices" in page


def test_flags_of_another_rule_set_are_not_this_one_s_decisions(campaign_week: list[int]) -> None:
    # The pre-election set flagged a resident's comment too; the default set never did, so a
    # backtest of the default set must not call it "no longer flagged".
    pre_election = RuleSet.objects.exclude(is_default=True).first()
    assert pre_election is not None
    rule = pre_election.versions.get(state="live").rules.first()
    assert rule is not None
    resident = Comment.objects.get(platform_id="c0")
    Flag.objects.create(
        comment=resident,
        rule=rule,
        ruleset_version=1,
        rule_key=rule.key,
        rule_name=rule.name,
        category=rule.category,
        severity=rule.severity,
        outcome="review",
    )
    assert _backtest_with_two_new_rules().results["no_longer_flagged"] == 0


def test_only_the_channels_a_rule_set_judges_are_backtested(campaign_week: list[int]) -> None:
    other_set = RuleSet.objects.create(name="Libraries")
    elsewhere = ChannelFactory(ruleset=other_set)
    do_store_comments(
        elsewhere, [fetched(CAMPAIGN, author_id="x", platform_id="l1")], actor=CONNECTOR
    )
    backtest = _backtest_with_two_new_rules()
    assert backtest.total == backtest.results["processed"] == 12
