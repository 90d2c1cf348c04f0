"""LinkedIn: comments on comments are read, and a poll reads only posts whose comments changed.

Comments on a comment are only listed under the comment (`/socialActions/{comment URN}/comments`),
not under the post. LinkedIn's comment listing has no `since` filter, so reading every recent
post's comments at every poll costs a call per post per poll: the connector first asks for the
posts' social-action summaries and reads only the posts whose comment count moved.
"""

from __future__ import annotations

import pytest

from moderation.connectors.http import SentRequest


@pytest.fixture
def kit(make_kit):
    return make_kit("linkedin")


def test_a_reply_to_a_comment_is_listed_with_its_parent(kit, drain_all):
    post = kit.post()
    comment = kit.comment(post, "Is this role remote?")
    reply = kit.comment(post, "Asking the same", parent_id=comment)

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert set(by_id) == {comment, reply}
    assert by_id[reply].parent_platform_id == comment


def _comment_reads(sent):
    return [r for r in sent if r.method == "GET" and "/comments" in r.url]


def test_a_poll_with_nothing_new_reads_no_post_comments(kit, drain_all):
    posts = [kit.post(f"Post {n}") for n in range(5)]
    for post in posts:
        kit.comment(post, "first")
    sent: list[SentRequest] = []
    connector = kit.connector(http=kit.client(recorder=sent.append))
    _, _, cursor, _ = drain_all(connector)
    sent.clear()

    page = connector.fetch_comments(cursor)

    assert page.comments == ()
    assert _comment_reads(sent) == []


def test_a_new_comment_is_read_from_its_post_only(kit, drain_all):
    posts = [kit.post(f"Post {n}") for n in range(5)]
    for post in posts:
        kit.comment(post, "first")
    sent: list[SentRequest] = []
    connector = kit.connector(http=kit.client(recorder=sent.append))
    _, _, cursor, _ = drain_all(connector)
    sent.clear()
    fresh = kit.comment(posts[2], "a new one")

    listed, _, _, _ = drain_all(connector, cursor)

    assert [c.platform_id for c in listed] == [fresh]
    read_posts = {r.url.split("/socialActions/")[1].split("/")[0] for r in _comment_reads(sent)}
    assert len(read_posts) == 1
