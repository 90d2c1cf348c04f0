"""Item 16: the removal notice goes on the thread (not under the removed comment), says why and
offers a re-post, in wording an admin sets; the reply picker no longer offers it as a reply."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.actions import do_remove_comment
from moderation.actions.appeals import do_post_removal_notice
from moderation.actions.comments import ActionRefused
from moderation.models import ModerationAction, Organisation, ReplyTemplate
from moderation.replies import render_template, templates_for
from tests.factories import ChannelFactory, PostFactory
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def _removed(olivia: Any, platform: str = "facebook"):
    channel = ChannelFactory(platform=platform)
    comment = open_item(
        "you are all ****", category="abuse", channel=channel, post=PostFactory(channel=channel)
    )
    do_remove_comment(comment, actor=olivia)
    return comment


def test_the_notice_wording_gives_the_reason_and_offers_a_repost(olivia: Any) -> None:
    comment = _removed(olivia)
    template = ReplyTemplate.objects.get(key="policy-notice")

    text = render_template(template, comment, Organisation.current())

    assert "has been removed because it contained abusive or offensive language" in text
    assert "post it again without that part" in text
    assert "{" not in text


def test_the_notice_is_not_offered_as_a_reply_under_the_comment(olivia: Any) -> None:
    comment = open_item("spam spam", category="spam")
    keys = [
        t.key for t in templates_for(comment, Organisation.current(), ReplyTemplate.objects.all())
    ]
    assert "policy-notice" not in keys
    assert "listening" in keys


def test_posting_the_notice_queues_a_notice_for_the_thread_and_audits_it(olivia: Any) -> None:
    comment = _removed(olivia)

    action = do_post_removal_notice(comment, "Removed: abusive language.", actor=olivia)

    assert action.kind == ModerationAction.Kind.NOTICE
    assert action.state == "pending"
    event = AuditEvent.objects.filter(event_type="moderation.comment.removal_notice_queued").get()
    assert event.data["action_id"] == action.pk
    assert "Removed" not in str(event.data), "the notice's words stay out of the audit log"


def test_a_notice_needs_the_comment_taken_down_first(olivia: Any) -> None:
    comment = open_item("rude", category="abuse", post=PostFactory())
    with pytest.raises(ActionRefused, match="Hide or remove the comment first"):
        do_post_removal_notice(comment, "Removed.", actor=olivia)


def test_the_item_page_offers_the_notice_once_the_comment_is_removed(
    officer_client: Any, olivia: Any
) -> None:
    comment = _removed(olivia)

    page = officer_client.get(f"/queue/{comment.pk}/").content.decode()

    assert "Post the notice on the thread" in page
    assert "removed because it contained abusive or offensive language" in page
    response = officer_client.post(
        f"/queue/{comment.pk}/notice/", {"text": "Removed: abusive language. Post again."}
    )
    assert response.status_code == 302
    assert comment.actions.filter(kind="notice").count() == 1
    page = officer_client.get(f"/queue/{comment.pk}/").content.decode()
    assert "Post the notice on the thread" not in page
    with pytest.raises(ActionRefused, match="already posted or on its way"):
        do_post_removal_notice(comment, "Again", actor=olivia)
