"""The item page: the comment with its matches highlighted and explained, where it sits, who
wrote it, and only the actions the channel's platform can do (with the platform's reason for
the others), in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from moderation.models import Author, Note, Organisation
from tests.factories import CommentFactory, PostFactory
from tests.helpers import signed_in
from tests.moderation.console.factories_console import FlagFactory, open_item, outbox_row

pytestmark = pytest.mark.django_db


def page(client: Client, comment_id: int) -> str:
    response = client.get(f"/queue/{comment_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_matched_words_are_highlighted_and_the_rule_explained(olivia) -> None:
    item = open_item("you absolute idiot", spans=[(13, 18)], category="abuse", severity=4)
    html = page(signed_in(Client(), olivia), item.pk)
    assert '<mark class="cat-abuse" title="abuse rule">idiot</mark>' in html
    assert "abuse rule" in html and "4 of 5" in html
    assert "Matched a word on the swearing list." in html


def test_the_post_the_parent_and_the_replies_are_shown(olivia) -> None:
    item = open_item("I disagree")
    post = PostFactory(channel=item.channel, text="Bin collections change from Monday.")
    parent = CommentFactory(channel=item.channel, post=post, text="Great news everyone")
    item.parent, item.post = parent, post
    item.save()
    CommentFactory(channel=item.channel, post=post, parent=item, text="Me too, strongly")
    html = page(signed_in(Client(), olivia), item.pk)
    assert "Bin collections change from Monday." in html
    assert "Great news everyone" in html
    assert "Me too, strongly" in html


def test_only_http_links_to_the_platform_are_offered(olivia) -> None:
    safe = open_item(permalink="https://www.facebook.com/1/posts/2?comment_id=3")
    unsafe = open_item()
    type(unsafe).objects.filter(pk=unsafe.pk).update(permalink="javascript:alert(1)")
    client = signed_in(Client(), olivia)
    assert 'href="https://www.facebook.com/1/posts/2?comment_id=3"' in page(client, safe.pk)
    html = page(client, unsafe.pk)
    assert "javascript:" not in html and "no link" in html


def test_an_instagram_item_offers_no_block_and_says_why(olivia) -> None:
    html = page(signed_in(Client(), olivia), open_item(platform="instagram").pk)
    assert 'data-shortcut="h"' in html  # hide is possible
    assert "Block the author</button>" not in html
    assert "Instagram&#x27;s API has no way to block or restrict an account" in html


def test_an_x_item_offers_hide_but_not_remove(olivia) -> None:
    html = page(signed_in(Client(), olivia), open_item(platform="x").pk)
    assert 'data-shortcut="h"' in html and 'data-shortcut="r"' not in html
    assert "X only lets an account delete its own posts" in html


def test_the_authors_history_strikes_and_notes_are_shown_across_channels(olivia) -> None:
    item = open_item("third strike idiot")
    other_channel_item = open_item("earlier rudeness", author=item.author)
    Note.objects.create(author=item.author, text="Known to the team", written_by_label="Oscar")
    client = signed_in(Client(), olivia)
    html = page(client, item.pk)
    assert "2 channels" in html
    # The history itself is a profile of a person: on the author page, purpose first (item 18).
    assert f"/authors/{item.author_id}/" in html
    client.post(f"/authors/{item.author_id}/", {"purpose": "Repeat offences"})
    profile = client.get(f"/authors/{item.author_id}/").content.decode()
    assert "earlier rudeness" in profile
    assert other_channel_item.channel.name in profile
    assert "Known to the team" in profile


def test_past_the_strike_threshold_the_console_recommends_a_block(olivia) -> None:
    Organisation.objects.update(strike_threshold=3)
    item = open_item()
    Author.objects.filter(pk=item.author_id).update(strikes=3)
    html = page(signed_in(Client(), olivia), item.pk)
    assert "Recommended: block this author." in html
    assert "repeat offenders will be blocked" in html


def test_below_the_threshold_no_block_is_recommended(olivia) -> None:
    Organisation.objects.update(strike_threshold=3)
    html = page(signed_in(Client(), olivia), open_item().pk)
    assert "Recommended: block this author." not in html


def test_past_due_items_are_marked_overdue(olivia) -> None:
    html = page(signed_in(Client(), olivia), open_item(due_in=-dt.timedelta(minutes=30)).pk)
    assert "Overdue (due" in html


def test_a_failed_platform_action_shows_the_platforms_reason_and_a_retry(olivia) -> None:
    item = open_item()
    outbox_row(item, state="failed", last_error="(#200) Permissions error: token expired")
    html = page(signed_in(Client(), olivia), item.pk)
    assert "The platform refused:" in html
    assert "(#200) Permissions error: token expired" in html
    assert "Try again" in html


def test_the_item_page_runs_a_fixed_number_of_queries(
    olivia, django_assert_max_num_queries
) -> None:
    item = open_item("busy thread")
    for n in range(12):
        reply = CommentFactory(channel=item.channel, parent=item, text=f"reply {n}")
        FlagFactory(comment=reply, spans=[[0, 5]])
        earlier = CommentFactory(channel=item.channel, author=item.author, text=f"earlier {n}")
        FlagFactory(comment=earlier, spans=[[0, 7]])
        outbox_row(item, state="succeeded", completed_at=timezone.now())
    client = signed_in(Client(), olivia)
    page(client, item.pk)
    # A fixed number whatever the thread's size; it grew with the tags on the item and the tags
    # on offer (the tag tests check that eight tags cost what one does), and the author's last
    # strike.
    with django_assert_max_num_queries(35):
        page(client, item.pk)
