from __future__ import annotations

import pytest

from accounts.audit import SystemActor
from moderation.actions import do_store_comments
from moderation.models import Author, Comment, Post
from tests.factories import ChannelFactory, fetched

CONNECTOR = SystemActor.connector("test connector")


@pytest.mark.django_db
def test_the_same_comment_delivered_three_times_is_stored_once() -> None:
    channel = ChannelFactory()
    comment = fetched("Is the tip open on Sunday?", platform_id="c-1")
    results = [do_store_comments(channel, [comment], actor=CONNECTOR) for _ in range(3)]
    assert Comment.objects.filter(channel=channel, platform_id="c-1").count() == 1
    assert [len(r.new_comment_ids) for r in results] == [1, 0, 0]
    assert [r.already_stored for r in results] == [0, 1, 1]


@pytest.mark.django_db
def test_overlapping_pages_store_each_comment_once() -> None:
    channel = ChannelFactory()
    page_one = [fetched(f"comment {i}", platform_id=f"c-{i}") for i in range(6)]
    page_two = [fetched(f"comment {i}", platform_id=f"c-{i}") for i in range(4, 10)]
    do_store_comments(channel, page_one, actor=CONNECTOR)
    do_store_comments(channel, page_two, actor=CONNECTOR)
    assert Comment.objects.filter(channel=channel).count() == 10


@pytest.mark.django_db
def test_a_duplicate_inside_one_page_is_stored_once() -> None:
    channel = ChannelFactory()
    twice = fetched("same", platform_id="dup")
    result = do_store_comments(channel, [twice, twice], actor=CONNECTOR)
    assert len(result.new_comment_ids) == 1
    assert Comment.objects.filter(channel=channel).count() == 1


@pytest.mark.django_db
def test_the_same_platform_id_on_another_channel_is_a_different_comment() -> None:
    first, second = ChannelFactory(), ChannelFactory()
    do_store_comments(first, [fetched("a", platform_id="same-id")], actor=CONNECTOR)
    do_store_comments(second, [fetched("b", platform_id="same-id")], actor=CONNECTOR)
    assert Comment.objects.filter(platform_id="same-id").count() == 2


@pytest.mark.django_db
def test_text_is_kept_exactly_as_received_except_nul() -> None:
    channel = ChannelFactory()
    hostile = "<script>alert(1)</script> &amp; \u202eevil\u202c 🙂\x00end"
    do_store_comments(channel, [fetched(hostile, platform_id="h")], actor=CONNECTOR)
    stored = Comment.objects.get(platform_id="h").text
    assert stored == hostile.replace("\x00", "\ufffd")


@pytest.mark.django_db
def test_authors_posts_and_parents_are_linked() -> None:
    channel = ChannelFactory()
    parent = fetched("first", platform_id="p", author_id="alice")
    reply = fetched("reply", platform_id="r", author_id="bob", parent_id="p")
    do_store_comments(channel, [parent], actor=CONNECTOR)
    do_store_comments(channel, [reply], actor=CONNECTOR)
    stored = Comment.objects.get(platform_id="r")
    assert stored.parent == Comment.objects.get(platform_id="p")
    assert stored.author == Author.objects.get(platform_id="bob")
    assert Post.objects.filter(channel=channel).count() == 1


@pytest.mark.django_db
def test_advancing_the_cursor_is_stored_with_the_comments() -> None:
    channel = ChannelFactory()
    do_store_comments(channel, [fetched("x")], actor=CONNECTOR, cursor="page-2")
    channel.refresh_from_db()
    assert channel.cursor == "page-2"
