"""An officer who writes a reply or a removal notice that is refused (a typed direction-control
token, a placeholder left in, another officer's claim, the policy check, no text at all) gets the
item page back with their words still in the box and the reason beside it. Found in testing: the
refusal redirected to the item page, whose box was filled afresh from the template, so whatever
had been typed was gone."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from moderation.actions import do_remove_comment
from moderation.actions.pre_election import do_set_pre_election_period
from moderation.models import ModerationAction
from tests.factories import ChannelFactory, PostFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db

TOKEN = "⟨U+202E⟩"
TYPED = "Thanks for telling us, Sam — the crew is on its way to Mill Lane this afternoon."


def reply(client: Client, item: Any, text: str, **data: str) -> Any:
    return client.post(f"/queue/{item.pk}/reply/", {"text": text, "template": "", **data})


def reply_box(page: str, text: str) -> bool:
    return f'data-shortcut="e" required>{escape(text)}</textarea>' in page


def test_a_reply_with_a_typed_token_comes_back_with_the_words_and_the_reason(olivia: Any) -> None:
    item = open_item("When is the bin day?")

    response = reply(signed_in(Client(), olivia), item, f"{TYPED} {TOKEN}")

    assert response.status_code == 400
    page = response.content.decode()
    assert reply_box(page, f"{TYPED} {TOKEN}"), "the typed words are in the reply box"
    assert f"Reply not sent: it holds {TOKEN}" in page
    assert not ModerationAction.objects.filter(kind="reply").exists()


def test_a_reply_with_a_placeholder_left_in_keeps_the_words(olivia: Any) -> None:
    item = open_item("When is the bin day?")

    response = reply(signed_in(Client(), olivia), item, f"{TYPED} Write to {{foi_contact}}.")

    assert response.status_code == 400
    page = response.content.decode()
    assert reply_box(page, f"{TYPED} Write to {{foi_contact}}.")
    assert "replace {foi_contact} with the right words first" in page


def test_a_reply_refused_by_another_officers_claim_keeps_the_words(olivia: Any, oscar: Any) -> None:
    item = open_item(claimed_by=oscar, claimed_until=timezone.now() + dt.timedelta(minutes=5))

    response = reply(signed_in(Client(), olivia), item, TYPED, send_anyway="1")

    assert response.status_code == 400
    page = response.content.decode()
    assert reply_box(page, TYPED)
    assert "is working on this item" in page


def test_a_refused_reply_from_a_template_keeps_the_template_it_came_from(olivia: Any) -> None:
    item = open_item("Who do I complain to about the bins?", category="complaint")

    response = reply(
        signed_in(Client(), olivia), item, f"{TYPED} {TOKEN}", template="complaints-signpost"
    )

    page = response.content.decode()
    assert '<input type="hidden" name="template" value="complaints-signpost">' in page


def test_an_empty_reply_says_so_on_the_item_page(olivia: Any) -> None:
    item = open_item()

    response = reply(signed_in(Client(), olivia), item, "   ")

    assert response.status_code == 400
    assert "Reply not sent: This field is required." in response.content.decode()


def removed(olivia: Any) -> Any:
    channel = ChannelFactory(platform="facebook")
    item = open_item("you are all ****", channel=channel, post=PostFactory(channel=channel))
    do_remove_comment(item, actor=olivia)
    return item


def notice_box(page: str, text: str) -> bool:
    return f'aria-describedby="notice-hint" required>{escape(text)}</textarea>' in page


def test_a_notice_with_a_typed_token_comes_back_with_the_words_and_the_reason(
    olivia: Any,
) -> None:
    item = removed(olivia)
    words = f"Removed: it was abusive. {TOKEN} Post again without that part."

    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/notice/", {"text": words})

    assert response.status_code == 400
    page = response.content.decode()
    assert notice_box(page, words)
    assert f"Notice not posted: it holds {TOKEN}" in page
    assert not ModerationAction.objects.filter(kind="notice").exists()


def test_a_notice_refused_by_the_policy_check_keeps_the_words(olivia: Any, adam: Any) -> None:
    item = removed(olivia)
    today = timezone.localdate()
    do_set_pre_election_period(today, today + dt.timedelta(days=30), actor=adam)
    words = "Removed. Vote Labour on Thursday, vote for your Labour candidate!"

    response = signed_in(Client(), olivia).post(f"/queue/{item.pk}/notice/", {"text": words})

    assert response.status_code == 400
    page = response.content.decode()
    assert notice_box(page, words)
    assert "Pre-election period" in page
