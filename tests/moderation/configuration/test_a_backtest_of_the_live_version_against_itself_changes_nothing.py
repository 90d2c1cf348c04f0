"""A backtest of the live version over the comments it judged live finds exactly what live
evaluation found: each comment is compared with the comments of the day before it, as it was
live, however many days the backtest reads at once. (It once read each chunk of 500 comments
against the day before the chunk's oldest, so a repeat days after the first post was "newly
flagged" as repetition: three comments in the demo.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.audit import SystemActor
from moderation import jobs
from moderation.actions import do_store_comments
from moderation.actions.backtests import do_run_backtest, do_start_backtest
from moderation.models import Backtest, Comment, Flag
from rules.compile import default_ruleset
from tests.factories import ChannelFactory, fetched

pytestmark = pytest.mark.django_db
CONNECTOR = SystemActor.connector("facebook connector (test)")
ADMIN = SystemActor.system("test")
REPEATED = "WHEN ARE YOU FIXING THE POTHOLE ON STATION ROAD"


def arrive(channel, text: str, days_ago: float, n: int) -> int:
    """A comment received ``days_ago`` and judged live when it arrived."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    stored = do_store_comments(
        channel, [fetched(text, author_id="angry-dad", platform_id=f"c{n}")], actor=CONNECTOR
    )
    Comment.objects.filter(pk__in=stored.new_comment_ids).update(received_at=at, created_at=at)
    jobs.evaluate_comments(stored.new_comment_ids)
    return stored.new_comment_ids[0]


def backtest_of_the_live_version() -> Backtest:
    """The live default version backtested over the last five days, run to the end."""
    ruleset = default_ruleset()
    assert ruleset is not None
    live = ruleset.versions.get(state="live")
    since = timezone.now() - dt.timedelta(days=5)
    backtest = do_start_backtest(live, since, timezone.now(), actor=ADMIN)
    do_run_backtest(backtest.pk, actor=SystemActor.system("backtest job"))
    backtest.refresh_from_db()
    return backtest


def test_a_repeat_days_after_the_first_post_is_not_newly_flagged() -> None:
    channel = ChannelFactory()
    arrive(channel, REPEATED, days_ago=4, n=1)
    repeat = arrive(channel, REPEATED, days_ago=1, n=2)
    # Live, three days apart, the second post was no repetition.
    assert not Flag.objects.filter(comment_id=repeat, rule_key="spam.repetition").exists()

    backtest = backtest_of_the_live_version()

    assert backtest.results["processed"] == 2
    assert backtest.results["newly_flagged"] == 0
    assert backtest.results["no_longer_flagged"] == 0


def test_a_repeat_within_the_day_is_still_found_live_and_by_the_backtest() -> None:
    channel = ChannelFactory()
    arrive(channel, REPEATED, days_ago=1.2, n=1)
    repeat = arrive(channel, REPEATED, days_ago=1, n=2)
    assert Flag.objects.filter(comment_id=repeat, rule_key="spam.repetition").exists()

    backtest = backtest_of_the_live_version()

    assert backtest.results["per_rule"]["spam.repetition"] == 1
    assert backtest.results["newly_flagged"] == 0
