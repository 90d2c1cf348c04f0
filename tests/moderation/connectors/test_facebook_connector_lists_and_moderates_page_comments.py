"""Facebook Pages: listing through posts, and every action reaching the Graph API."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from moderation.connectors.base import ActionTarget
from moderation.connectors.errors import PermanentError


@pytest.fixture
def kit(make_kit):
    return make_kit("facebook")


def test_replies_are_listed_with_their_parent_and_post(kit, drain_all):
    post = kit.post("Roadworks on the High Street")
    question = kit.comment(post, "How long for?")
    answer = kit.comment(post, "Two weeks", parent_id=question)

    listed, _, _, _ = drain_all(kit.connector())

    by_id = {c.platform_id: c for c in listed}
    assert by_id[answer].parent_platform_id == question
    assert by_id[question].parent_platform_id == ""
    assert by_id[question].post_platform_id == post
    assert by_id[question].post is not None
    assert by_id[question].post.text == "Roadworks on the High Street"


def test_hide_and_unhide_reach_the_page(kit):
    post = kit.post()
    comment = kit.comment(post, "rude words", author={"id": "5550001", "name": "Ana P."})
    target = ActionTarget(comment, "5550001", post)
    connector = kit.connector()

    connector.perform("hide", target)
    assert kit.emulator.comment_status("facebook", comment) == "hidden"
    connector.perform("unhide", target)

    assert kit.emulator.comment_status("facebook", comment) == "visible"
    assert [a["action"] for a in kit.emulator.actions] == ["hide", "unhide"]


def test_delete_removes_the_comment(kit):
    post = kit.post()
    comment = kit.comment(post, "spam spam")

    result = kit.connector().perform("remove", ActionTarget(comment, "", post))

    assert result.ok
    assert kit.emulator.comment_status("facebook", comment) == "deleted"


def test_a_reply_is_posted_as_the_page_and_its_id_returned(kit):
    post = kit.post()
    comment = kit.comment(post, "When is collection day?")

    result = kit.connector().perform(
        "reply", ActionTarget(comment, "", post, text="Thursdays, every fortnight.")
    )

    reply = kit.emulator.store.comment("facebook", result.platform_id)
    assert reply is not None
    assert reply.author.id == kit.account_id
    assert reply.parent_id == comment
    assert reply.text == "Thursdays, every fortnight."


def test_block_and_unblock_change_the_pages_ban_list(kit):
    post = kit.post()
    comment = kit.comment(post, "abuse", author={"id": "5550009"})
    target = ActionTarget(comment, "5550009", post)
    connector = kit.connector()

    connector.perform("block", target)
    assert kit.emulator.blocked("facebook", kit.account_id) == {"5550009"}
    connector.perform("unblock", target)

    assert kit.emulator.blocked("facebook", kit.account_id) == set()


def test_blocking_an_author_facebook_did_not_name_is_refused(kit):
    with pytest.raises(PermanentError, match="did not say who wrote"):
        kit.connector().perform("block", ActionTarget("1_2", "", "999_1"))


def test_the_pages_own_comment_cannot_be_hidden_and_graph_says_why(kit):
    post = kit.post()
    own = kit.comment(post, "Official update", author={"id": kit.account_id})

    with pytest.raises(PermanentError, match="own comments cannot be hidden") as raised:
        kit.connector().perform("hide", ActionTarget(own, kit.account_id, post))

    assert raised.value.code == "100"


def test_a_graph_throttling_error_on_http_403_is_retried(kit, drain_all):
    comment = kit.comment(kit.post(), "hello")
    kit.emulator.set_faults("facebook", "rate_limit", count=1)

    listed, _, _, _ = drain_all(kit.connector())

    assert [c.platform_id for c in listed] == [comment]
    assert len(kit.slept) == 1


def test_an_id_that_tries_to_leave_its_path_segment_is_refused(kit):
    with pytest.raises(PermanentError, match="not a valid id"):
        kit.connector().perform("remove", ActionTarget("..", "", "999_1"))
    with pytest.raises(PermanentError):
        kit.connector().perform("hide", ActionTarget("", "", "999_1"))
    assert kit.emulator.actions == []


def test_the_app_secret_proof_is_the_tokens_hmac_under_the_app_secret(kit):
    connector = kit.connector(credentials={"access_token": "token", "app_secret": "s3cret"})

    expected = hmac.new(b"s3cret", b"token", hashlib.sha256).hexdigest()
    assert connector.proof_params() == {"appsecret_proof": expected}
