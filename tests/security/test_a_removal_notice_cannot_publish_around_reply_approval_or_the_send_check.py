"""A removal notice is posted publicly on the thread, as the council's account, with words the
officer types. Found in testing: on a channel whose replies wait for a manager's approval, an
officer hid a comment and posted "Vote for the Green candidate on Thursday!" as its "notice":
it went straight to the outbox, with neither the approval nor the reply's policy check. A notice
is now held for approval exactly as a reply would be, and refused when its own words are what
the policy forbids outright (party politics in the pre-election period)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from moderation.actions import do_hide_comment
from moderation.actions.pre_election import do_set_pre_election_period
from moderation.models import ModerationAction, Organisation, ReplyTemplate
from moderation.outbox import perform_action
from moderation.replies import render_template
from tests.factories import ChannelFactory, PostFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def _hidden_on_a_watched_channel(olivia: Any) -> Any:
    channel = ChannelFactory(platform="facebook", replies_need_approval=True)
    comment = open_item(
        "you are all ****", category="abuse", channel=channel, post=PostFactory(channel=channel)
    )
    do_hide_comment(comment, actor=olivia)
    return comment


def test_an_officers_notice_on_a_channel_whose_replies_need_approval_waits_for_a_manager(
    olivia: Any, maya: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment = _hidden_on_a_watched_channel(olivia)
    officer = signed_in(Client(), olivia)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        officer.post(f"/queue/{comment.pk}/notice/", {"text": "Vote Green on Thursday!"})

    notice = ModerationAction.objects.get(comment=comment, kind="notice")
    assert notice.state == "awaiting"
    assert callbacks == []  # nothing enqueued to send it
    assert perform_action(notice.pk) == "skipped"

    manager = signed_in(Client(), maya)
    listed = manager.get("/replies/awaiting/").content.decode()
    assert "Vote Green on Thursday!" in listed
    manager.post(f"/replies/{notice.pk}/reject/", {"reason": "Not a removal notice."})
    notice.refresh_from_db()
    assert notice.state == "cancelled"


def test_a_manager_can_approve_a_held_notice(olivia: Any, maya: Any) -> None:
    comment = _hidden_on_a_watched_channel(olivia)
    signed_in(Client(), olivia).post(
        f"/queue/{comment.pk}/notice/", {"text": "Removed: abusive language."}
    )
    notice = ModerationAction.objects.get(comment=comment, kind="notice")

    signed_in(Client(), maya).post(f"/replies/{notice.pk}/approve/")

    notice.refresh_from_db()
    assert notice.state == "pending"


def test_a_party_political_notice_in_the_pre_election_period_is_refused(
    olivia: Any, adam: Any
) -> None:
    channel = ChannelFactory(platform="facebook")
    comment = open_item(
        "you are all ****", category="abuse", channel=channel, post=PostFactory(channel=channel)
    )
    do_hide_comment(comment, actor=olivia)
    today = timezone.localdate()
    do_set_pre_election_period(today, today + dt.timedelta(days=30), actor=adam)

    response = signed_in(Client(), olivia).post(
        f"/queue/{comment.pk}/notice/",
        {"text": "Removed. Vote Labour on Thursday, vote for your Labour candidate!"},
        follow=True,
    )

    assert not ModerationAction.objects.filter(comment=comment, kind="notice").exists()
    assert "Pre-election period" in response.content.decode()


def test_the_default_notice_for_a_party_political_comment_is_posted_in_the_period(
    olivia: Any, adam: Any
) -> None:
    channel = ChannelFactory(platform="facebook")
    comment = open_item(
        "Vote Reform on Thursday!",
        category="political",
        channel=channel,
        post=PostFactory(channel=channel),
    )
    do_hide_comment(comment, actor=olivia)
    today = timezone.localdate()
    do_set_pre_election_period(today, today + dt.timedelta(days=30), actor=adam)
    notice = render_template(
        ReplyTemplate.objects.get(key="policy-notice"), comment, Organisation.current()
    )

    signed_in(Client(), olivia).post(f"/queue/{comment.pk}/notice/", {"text": notice})

    assert ModerationAction.objects.get(comment=comment, kind="notice").state == "pending"


def test_the_item_page_does_not_offer_a_second_notice_while_one_waits(olivia: Any) -> None:
    comment = _hidden_on_a_watched_channel(olivia)
    officer = signed_in(Client(), olivia)
    officer.post(f"/queue/{comment.pk}/notice/", {"text": "Removed: abusive language."})

    page = officer.get(f"/queue/{comment.pk}/").content.decode()

    assert "The notice is posted on the thread, or on its way" in page
