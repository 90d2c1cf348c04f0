"""Identical posts by different people are a campaign: never hidden automatically, shown as one
row in the queue with how many posts and who wrote them, and reviewed together."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.jobs import evaluate_comments
from moderation.models import Comment
from tests.factories import AuthorFactory, ChannelFactory, CommentFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

CAMPAIGN = "Save Hadleigh library! It is the only warm space in town for older people."


def _campaign(size: int) -> list[Comment]:
    channel = ChannelFactory()
    comments = []
    for n in range(size):
        author = AuthorFactory(platform=channel.platform, handle=f"resident{n}")
        comment = CommentFactory(channel=channel, author=author, text=CAMPAIGN)
        evaluate_comments([comment.pk])
        comment.refresh_from_db()
        comments.append(comment)
    return comments


def test_copies_by_other_people_are_reviewed_not_hidden_and_share_a_campaign_key() -> None:
    first, *copies = _campaign(4)

    assert first.status == Comment.Status.CLEAN
    assert all(c.status == Comment.Status.REVIEW for c in copies)
    assert not any(c.actions.filter(kind="hide").exists() for c in copies)
    assert len({c.campaign_key for c in copies}) == 1 and copies[0].campaign_key
    # A campaign is a reason to review, not the spam category.
    assert all(c.categories == [] for c in copies)


def test_the_queue_shows_a_campaign_as_one_row_with_count_and_authors(olivia) -> None:
    _, *copies = _campaign(4)
    client = signed_in(Client(), olivia)

    page = client.get("/queue/?tab=review").content.decode()

    assert page.count(CAMPAIGN[:20]) == 1
    assert "Campaign: 3 posts by 3 people" in page
    assert 'severity 1)">campaign</span>' in page
    assert 'severity 1)">spam</span>' not in page
    for comment in copies:
        assert comment.author.handle in page
    review_all = f"campaign={copies[0].campaign_key}"
    assert review_all in page


def test_reviewing_the_campaign_lists_every_post_ticked_to_act_on_all(olivia) -> None:
    _, *copies = _campaign(4)
    client = signed_in(Client(), olivia)

    page = client.get(
        f"/queue/?tab=review&campaign={copies[0].campaign_key}&select=all"
    ).content.decode()
    for comment in copies:
        assert f'name="ids" value="{comment.pk}"' in page
    assert page.count(" checked") >= 3

    response = client.post(
        "/queue/bulk/", {"verb": "approve", "ids": [c.pk for c in copies], "next": "/queue/"}
    )
    assert response.status_code == 302
    assert all(
        status == Comment.Status.DONE
        for status in Comment.objects.filter(pk__in=[c.pk for c in copies]).values_list(
            "status", flat=True
        )
    )
