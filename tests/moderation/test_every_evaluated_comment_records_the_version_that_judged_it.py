"""A comment records the rule-set version that judged it, whether or not any rule matched."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.audit import SystemActor
from moderation import jobs
from moderation.actions import do_store_comments
from moderation.models import Comment
from rules.compile import versions_in_force
from tests.factories import ChannelFactory, fetched


@pytest.mark.django_db
def test_clean_and_flagged_comments_both_record_the_live_version() -> None:
    channel = ChannelFactory()
    do_store_comments(
        channel,
        [
            fetched("Thank you for fixing the streetlight on Elm Road", platform_id="clean"),
            fetched("You are a useless idiot and a waste of space", platform_id="abuse"),
        ],
        actor=SystemActor.connector("test connector"),
    )
    jobs.evaluate_comments(list(Comment.objects.values_list("id", flat=True)))
    [live], _ = versions_in_force(channel.ruleset, timezone.now())
    clean = Comment.objects.get(platform_id="clean")
    flagged = Comment.objects.get(platform_id="abuse")
    assert clean.status == Comment.Status.CLEAN
    assert flagged.status != Comment.Status.CLEAN
    assert (clean.evaluated_version, flagged.evaluated_version) == (live.number, live.number)
    assert clean.evaluated_at is not None and flagged.evaluated_at is not None
