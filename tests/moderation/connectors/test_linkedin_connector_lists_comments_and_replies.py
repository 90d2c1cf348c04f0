"""LinkedIn: comments on organisation posts, and replies (the only action it allows)."""

from __future__ import annotations

import pytest

from moderation.connectors.base import ActionTarget


@pytest.fixture
def kit(make_kit):
    return make_kit("linkedin")


def test_comments_carry_the_post_urn_the_actor_and_the_post_permalink(kit, drain_all):
    post = kit.post("We're hiring planners")
    comment = kit.comment(post, "Is this role remote?", author={"id": "urn:li:person:AbC123"})

    [listed], _, _, _ = drain_all(kit.connector())

    assert listed.platform_id == comment
    assert listed.post_platform_id == post
    assert listed.author.platform_id == "urn:li:person:AbC123"
    assert listed.permalink == f"https://www.linkedin.com/feed/update/{post}"


def test_the_account_may_be_given_as_a_bare_organisation_id(kit, drain_all):
    comment = kit.comment(kit.post(), "hello")
    kit.account_id = "2414183"

    listed, _, _, _ = drain_all(kit.connector())

    assert [c.platform_id for c in listed] == [comment]


def test_a_reply_is_nested_under_the_comment_as_the_organisation(kit):
    post = kit.post()
    comment = kit.comment(post, "Is this role remote?")

    result = kit.connector().perform("reply", ActionTarget(comment, "", post, text="Hybrid."))

    created = kit.emulator.store.comment("linkedin", result.platform_id)
    assert created is not None
    assert created.parent_id == comment
    assert created.author.id == kit.account_id
