"""A comment's context: the 50 comments by other people just before it, newest first.

Two paths build it: most comments have none of their author's own among the 50 before them (two
slices), and the rest walk back past their author's comments. Both must give the same window.
"""

from __future__ import annotations

import pytest

from accounts.audit import SystemActor
from moderation import jobs
from moderation.actions import do_store_comments
from moderation.models import Comment
from tests.factories import ChannelFactory, fetched

CONNECTOR = SystemActor.connector("test connector")


@pytest.mark.django_db
def test_the_window_is_the_fifty_latest_by_others_newest_first_on_both_paths() -> None:
    channel = ChannelFactory()
    # 120 comments: "loner" writes number 100 and 119; "regular" writes every tenth one.
    authors = [
        "loner" if n in (100, 119) else "regular" if n % 10 == 0 else f"person{n}"
        for n in range(120)
    ]
    texts = [f"comment number {n} about the library opening hours" for n in range(120)]
    do_store_comments(
        channel,
        [
            fetched(text, platform_id=f"c{n}", author_id=author)
            for n, (text, author) in enumerate(zip(texts, authors, strict=True))
        ],
        actor=CONNECTOR,
    )
    ids = list(Comment.objects.filter(channel=channel).order_by("id").values_list("id", flat=True))
    contexts = jobs.contexts_for(jobs.unevaluated(ids[90:]))

    def expected(n: int) -> list[str]:
        earlier = [m for m in range(n - 1, -1, -1) if authors[m] != authors[n]]
        return [texts[m] for m in earlier[:50]]

    # 100: loner has nothing before it (the slices); 119: loner's own 100 is among the 50.
    # 110: regular's own comments are among the 50 (the walk back past them).
    for n in (95, 100, 110, 119):
        assert list(contexts[ids[n]].others_recent_texts) == expected(n), n
    assert list(contexts[ids[119]].author_recent_texts) == [texts[100]]
    assert list(contexts[ids[110]].author_recent_texts)[-2:] == [texts[80], texts[90]]
