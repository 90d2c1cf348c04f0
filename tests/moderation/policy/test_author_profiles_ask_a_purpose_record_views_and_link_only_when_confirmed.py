"""Item 18: an author's history is a profile of a person. Opening it asks for a purpose the first
time (per author, per officer), every view is audited, the page says it is for moderation only
(RIPA), and authors are linked across platforms only when an officer confirms it; the block
recommendation then counts strikes across the linked accounts."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import AuditEvent
from moderation.models import ProfilePurpose
from tests.factories import AuthorFactory, CommentFactory
from tests.moderation.console.factories_console import open_item

pytestmark = pytest.mark.django_db


def test_the_item_page_no_longer_shows_the_history_inline(officer_client: Any) -> None:
    comment = open_item("first", category="abuse")
    CommentFactory(author=comment.author, text="an older comment of theirs")

    page = officer_client.get(f"/queue/{comment.pk}/").content.decode()

    assert "an older comment of theirs" not in page
    assert f"/authors/{comment.author.pk}/" in page


def test_the_first_view_asks_a_purpose_then_every_view_is_audited(
    officer_client: Any, olivia: Any
) -> None:
    author = AuthorFactory()
    CommentFactory(author=author, text="what they wrote last week")

    first = officer_client.get(f"/authors/{author.pk}/").content.decode()
    assert "what they wrote last week" not in first
    assert "Why do you need this person's history?" in first
    assert "Regulation of Investigatory Powers Act 2000" in first

    officer_client.post(f"/authors/{author.pk}/", {"purpose": "Deciding whether to block"})
    page = officer_client.get(f"/authors/{author.pk}/").content.decode()
    officer_client.get(f"/authors/{author.pk}/")

    assert "what they wrote last week" in page
    assert "For moderation only." in page
    assert (
        ProfilePurpose.objects.get(author=author, user=olivia).purpose
        == "Deciding whether to block"
    )
    assert AuditEvent.objects.filter(event_type="moderation.author.profile_viewed").count() == 2
    assert (
        AuditEvent.objects.filter(event_type="moderation.author.profile_purpose_given").count() == 1
    )


def test_authors_are_linked_only_when_confirmed_and_strikes_then_count_together(
    officer_client: Any, olivia: Any
) -> None:
    on_facebook = AuthorFactory(platform="facebook", handle="angrybob", strikes=2)
    on_x = AuthorFactory(platform="x", handle="AngryBob", strikes=1)
    comment = open_item("again", category="abuse", author=on_facebook)
    officer_client.post(f"/authors/{on_facebook.pk}/", {"purpose": "Repeat offences"})

    page = officer_client.get(f"/authors/{on_facebook.pk}/").content.decode()
    assert "Same person?" in page
    assert (
        "Recommended: block this author"
        not in officer_client.get(f"/queue/{comment.pk}/").content.decode()
    )

    officer_client.post(f"/authors/{on_facebook.pk}/link/", {"other": on_x.pk})

    on_x.refresh_from_db()
    on_facebook.refresh_from_db()
    assert on_x.person_id == on_facebook.person_id is not None
    item = officer_client.get(f"/queue/{comment.pk}/").content.decode()
    assert "Recommended: block this author." in item
    assert "3 strikes across their linked accounts" in item
    assert AuditEvent.objects.filter(event_type="moderation.author.linked").exists()

    officer_client.post(f"/authors/{on_facebook.pk}/unlink/")

    on_x.refresh_from_db()
    assert on_x.person_id is None
    assert (
        "Recommended: block this author."
        not in officer_client.get(f"/queue/{comment.pk}/").content.decode()
    )
    assert AuditEvent.objects.filter(event_type="moderation.author.unlinked").exists()


def test_nothing_is_linked_by_guessing(olivia: Any) -> None:
    AuthorFactory(platform="facebook", handle="samename")
    AuthorFactory(platform="x", handle="samename")
    from moderation.models import Author

    assert not Author.objects.filter(person__isnull=False).exists()


def test_a_hostile_name_is_escaped_and_cannot_reorder_the_page(officer_client: Any) -> None:
    author = AuthorFactory(display_name="RLO \u202enimda\u202c <b>Spoof</b>")
    officer_client.post(f"/authors/{author.pk}/", {"purpose": "Moderation"})

    page = officer_client.get(f"/authors/{author.pk}/").content.decode()

    assert "\u202e" not in page
    assert "⟨U+202E⟩nimda" in page
    assert "&lt;b&gt;Spoof&lt;/b&gt;" in page
