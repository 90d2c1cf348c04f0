"""Repetition and floods are judged against the comments before each one, even in a backlog.

When a poll stores a backlog, every page is stored before the first evaluation runs: the newest
rows of the channel then come after the batch being evaluated. The history must still be the
comments that preceded it.
"""

from __future__ import annotations

import pytest

from accounts.audit import SystemActor
from moderation import contexts, jobs
from moderation.actions import do_store_comments
from moderation.models import Comment
from tests.factories import ChannelFactory, fetched

CONNECTOR = SystemActor.connector("test connector")


@pytest.mark.django_db
def test_an_early_batch_sees_the_comments_before_it_not_the_later_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(contexts, "HISTORY_ROWS", 10)
    channel = ChannelFactory()
    texts = [f"the bins on road number {n} were missed" for n in range(60)]
    do_store_comments(
        channel,
        [fetched(t, platform_id=f"c{n}", author_id=f"a{n % 3}") for n, t in enumerate(texts)],
        actor=CONNECTOR,
    )
    ids = list(Comment.objects.filter(channel=channel).order_by("id").values_list("id", flat=True))
    batch = jobs.unevaluated(ids[20:25])
    context = jobs.contexts_for(batch)[ids[24]]  # comment 24, by author a0
    # Others' near-duplicates and the author's own comments, from before comment 24 only.
    assert set(context.others_recent_texts) == {
        texts[n] for n in range(24 - 10 - 4, 24) if n % 3 != 0
    }
    assert list(context.author_recent_texts) == [texts[n] for n in (12, 15, 18, 21)]
    assert context.author_recent_count == 4  # all stored this minute: a flood of five with it


@pytest.mark.django_db
def test_a_copied_message_early_in_a_backlog_is_caught_as_repetition() -> None:
    channel = ChannelFactory()
    spam = "The bins on our street have not been collected for three weeks running now"
    page = [fetched(f"Question {n} about bins on Elm Road", platform_id=f"q{n}") for n in range(3)]
    page += [fetched(spam, platform_id=f"s{n}", author_id=f"spammer{n}") for n in range(4)]
    page += [fetched(f"Later question {n} on Mill Lane", platform_id=f"l{n}") for n in range(700)]
    do_store_comments(channel, page, actor=CONNECTOR)
    ids = list(Comment.objects.filter(channel=channel).order_by("id").values_list("id", flat=True))
    jobs.evaluate_comments(ids[:7])
    last_spam = Comment.objects.get(channel=channel, platform_id="s3")
    # Copies by other authors are a campaign: for review, in no category (not spam).
    assert (last_spam.status, last_spam.categories) == (Comment.Status.REVIEW, [])
    flag = last_spam.flags.get()
    assert flag.rule_key == "spam.campaign"
    assert "similar to 3 of other authors' recent comments" in flag.explanation
