"""A batch's automatic hides are enqueued in a few jobs, after the commit, each row once."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.audit import SystemActor
from moderation import jobs
from moderation.actions import do_store_comments
from moderation.models import Comment, ModerationAction
from tests.factories import ChannelFactory, fetched

ABUSIVE = "You are a fucking idiot and this council is shit ({n}, {m})"


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, list[tuple[Any, ...]]]]:
    calls: list[tuple[str, Any, list[tuple[Any, ...]]]] = []
    monkeypatch.setattr(
        "smpolicy.queue.enqueue_each_now",
        lambda queue, job, args: calls.append((queue, job, list(args))),
    )
    return calls


@pytest.mark.django_db(transaction=True)
def test_forty_five_hides_go_out_in_three_jobs_covering_each_once(
    enqueued: list[tuple[str, Any, list[tuple[Any, ...]]]],
) -> None:
    channel = ChannelFactory()
    page = [
        fetched(ABUSIVE.format(n=n, m=n * 37 % 101), platform_id=f"a{n}", author_id=f"p{n}")
        for n in range(45)
    ]
    do_store_comments(channel, page, actor=SystemActor.connector("test"))
    ids = list(Comment.objects.filter(channel=channel).values_list("id", flat=True))
    jobs.evaluate_comments(ids)

    sends = [(job, args) for queue, job, args in enqueued if queue == "actions"]
    assert len(sends) == 1 and sends[0][0] == "moderation.jobs.send_actions"
    chunks = [chunk for (chunk,) in sends[0][1]]
    assert [len(chunk) for chunk in chunks] == [20, 20, 5]
    hides = ModerationAction.objects.filter(comment__channel=channel, kind="hide")
    assert sorted(i for chunk in chunks for i in chunk) == sorted(
        hides.values_list("id", flat=True)
    )
