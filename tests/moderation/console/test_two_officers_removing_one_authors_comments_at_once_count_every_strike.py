"""Strikes are counted in the database (``strikes + 1``), so officers acting at the same moment on
one person's comments never overwrite each other's strike, on any channel."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from moderation.actions.comments import do_hide_comment, do_remove_comment
from moderation.models import Author, Comment
from tests.factories import AuthorFactory, ChannelFactory, make_user
from tests.moderation.console.factories_console import open_item

PER_OFFICER = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_truncatable")
def test_two_officers_acting_at_once_on_one_authors_comments_count_every_strike() -> None:
    author = AuthorFactory(platform="facebook")
    officers = [make_user("olive", "officer"), make_user("otis", "officer")]
    # Each comment on a channel of its own: nothing but the author is shared between the two.
    work: dict[int, list[Comment]] = {
        n: [
            open_item(author=author, channel=ChannelFactory(platform="facebook"))
            for _ in range(PER_OFFICER)
        ]
        for n in range(len(officers))
    }
    start = threading.Barrier(len(officers))
    errors: list[BaseException] = []

    def act(n: int) -> None:
        try:
            start.wait()
            for number, comment in enumerate(work[n]):
                act_on = do_hide_comment if number % 2 else do_remove_comment
                act_on(comment, actor=officers[n])
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(n,)) for n in range(len(officers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert connection.vendor == "postgresql"
    assert Author.objects.get(pk=author.pk).strikes == len(officers) * PER_OFFICER
