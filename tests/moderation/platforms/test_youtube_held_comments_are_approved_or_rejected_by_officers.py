"""YouTube's own held comments (`heldForReview`, `likelySpam`) reach the queue; an officer
approves them (published on YouTube) or rejects them; "Remove" says it is permanent."""

from __future__ import annotations

import pytest
from django.test import Client

from moderation.actions.comments import do_approve_comment, do_reject_comment
from moderation.jobs import poll_channel
from moderation.models import Comment
from moderation.outbox import perform_action
from tests.factories import channel_on
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
CHANNEL = "UCcouncil0000000000000042"


@pytest.fixture
def youtube(emulator):
    return channel_on(emulator, "youtube", CHANNEL, login={"access_token": "yt-token"})


def test_held_comments_are_stored_hidden_with_youtubes_reason(emulator, youtube) -> None:
    video = emulator.add_post("youtube", CHANNEL, text="Budget consultation")
    emulator.add_comment("youtube", CHANNEL, video, "Thanks for this")
    emulator.add_comment("youtube", CHANNEL, video, "buy followers", status="spam")

    poll_channel(youtube.pk)

    stored = dict(Comment.objects.values_list("text", "platform_status"))
    assert stored == {"Thanks for this": "", "buy followers": "likelySpam"}
    assert Comment.objects.get(platform_status="likelySpam").visibility == "hidden"


def test_approving_a_held_comment_publishes_it_on_youtube(emulator, youtube, olivia) -> None:
    video = emulator.add_post("youtube", CHANNEL)
    held = emulator.add_comment("youtube", CHANNEL, video, "fair question", status="held")
    poll_channel(youtube.pk)
    item = Comment.objects.get(platform_id=held)

    do_approve_comment(item, actor=olivia)
    [action] = item.actions.all()
    perform_action(action.pk)

    assert action.kind == "approve"
    assert emulator.comment_status("youtube", held) == "visible"
    item.refresh_from_db()
    assert (item.visibility, item.platform_status) == ("visible", "")


def test_rejecting_a_held_comment_rejects_it_on_youtube(emulator, youtube, olivia) -> None:
    video = emulator.add_post("youtube", CHANNEL)
    held = emulator.add_comment("youtube", CHANNEL, video, "spam link", status="held")
    poll_channel(youtube.pk)
    item = Comment.objects.get(platform_id=held)

    action = do_reject_comment(item, actor=olivia)
    perform_action(action.pk)

    assert emulator.comment_status("youtube", held) == "rejected"
    item.refresh_from_db()
    assert item.visibility == "removed"


def test_the_item_page_offers_approve_and_reject_and_says_remove_is_permanent(
    client: Client, emulator, youtube, olivia
) -> None:
    video = emulator.add_post("youtube", CHANNEL)
    emulator.add_comment("youtube", CHANNEL, video, "held one", status="held")
    emulator.add_comment("youtube", CHANNEL, video, "published one")
    poll_channel(youtube.pk)
    held = Comment.objects.get(text="held one")
    published = Comment.objects.get(text="published one")
    signed_in(client, olivia)

    held_page = client.get(f"/queue/{held.pk}/").content.decode()
    published_page = client.get(f"/queue/{published.pk}/").content.decode()

    assert "holds this comment for review" in held_page
    assert "Approve (publish)" in held_page
    assert f"/queue/{held.pk}/reject/" in held_page
    # Already held by YouTube: hiding again or a second "reject" button would only confuse.
    assert f"/queue/{held.pk}/hide/" not in held_page
    assert f"/queue/{held.pk}/remove/" not in held_page
    assert "Reject permanently" in published_page
    assert f"/queue/{published.pk}/reject/" not in published_page
